/*
 * A stand-in for GStreamer's `autovideoflip` element, for the recsim conformance lab.
 *
 * Why: WebKitGTK 2.50's MediaRecorder video encoder (GStreamerVideoEncoder) builds its pipeline
 * with `autovideoflip` and sets its `video-direction` property to "auto". That element exists
 * only from GStreamer 1.24 (in the autoconvert plugin); Debian 12 ships 1.22. Without it the
 * encoder bin never links: the log says "element autovideoflip not found", then "not-linked",
 * and every recorded Blob is 0 bytes, with no error event.
 *
 * What: a bin named `autovideoflip` that wraps the existing `videoflip` (gst-plugins-good) behind
 * static "sink" and "src" ghost pads and forwards the `video-direction` property to it. The
 * property's enum type (GstVideoOrientationMethod, which has "auto") is taken from videoflip at
 * run time, so this builds against gstreamer-1.0 alone:
 *
 *   gcc -shared -fPIC -O2 -o libgstrecsimautovideoflip.so autovideoflip.c \
 *       $(pkg-config --cflags --libs gstreamer-1.0)
 *
 * and is found through GST_PLUGIN_PATH (build.ts beside this file does both, at first use). The
 * file name must stay libgstrecsimautovideoflip.so: GStreamer derives the plugin's descriptor
 * symbol from it. On GStreamer >= 1.24 the driver neither builds nor loads it.
 *
 * SPDX-License-Identifier: MIT
 */

#include <gst/gst.h>

#define PACKAGE "recsim-autovideoflip"

#define RECSIM_TYPE_AUTO_VIDEO_FLIP (recsim_auto_video_flip_get_type())
G_DECLARE_FINAL_TYPE(RecsimAutoVideoFlip, recsim_auto_video_flip, RECSIM, AUTO_VIDEO_FLIP, GstBin)

struct _RecsimAutoVideoFlip {
  GstBin parent;
  GstElement *flip; /* owned by the bin */
};

G_DEFINE_TYPE(RecsimAutoVideoFlip, recsim_auto_video_flip, GST_TYPE_BIN)

enum { PROP_0, PROP_VIDEO_DIRECTION };

/* videoflip's `video-direction` pspec (its class stays referenced), or NULL when unavailable. */
static GParamSpec *videoflip_direction_pspec(void) {
  GstElementFactory *factory = gst_element_factory_find("videoflip");
  if (factory == NULL) return NULL;
  GstPluginFeature *loaded = gst_plugin_feature_load(GST_PLUGIN_FEATURE(factory));
  gst_object_unref(factory);
  if (loaded == NULL) return NULL;
  GType flip_type = gst_element_factory_get_element_type(GST_ELEMENT_FACTORY(loaded));
  gst_object_unref(loaded);
  GParamSpec *pspec = g_object_class_find_property(g_type_class_ref(flip_type), "video-direction");
  return pspec != NULL && G_IS_PARAM_SPEC_ENUM(pspec) ? pspec : NULL;
}

static void recsim_auto_video_flip_set_property(GObject *object, guint id, const GValue *value,
                                                GParamSpec *pspec) {
  RecsimAutoVideoFlip *self = RECSIM_AUTO_VIDEO_FLIP(object);
  if (id == PROP_VIDEO_DIRECTION)
    g_object_set_property(G_OBJECT(self->flip), "video-direction", value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
}

static void recsim_auto_video_flip_get_property(GObject *object, guint id, GValue *value,
                                                GParamSpec *pspec) {
  RecsimAutoVideoFlip *self = RECSIM_AUTO_VIDEO_FLIP(object);
  if (id == PROP_VIDEO_DIRECTION)
    g_object_get_property(G_OBJECT(self->flip), "video-direction", value);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID(object, id, pspec);
}

static void recsim_auto_video_flip_init(RecsimAutoVideoFlip *self) {
  /* Without videoflip the class has no property and this bin stays without pads. */
  self->flip = gst_element_factory_make("videoflip", NULL);
  if (self->flip == NULL) return;
  gst_bin_add(GST_BIN(self), self->flip);
  const char *names[] = {"sink", "src"};
  for (int i = 0; i < 2; i++) {
    GstPad *target = gst_element_get_static_pad(self->flip, names[i]);
    gst_element_add_pad(GST_ELEMENT(self), gst_ghost_pad_new(names[i], target));
    gst_object_unref(target);
  }
}

static void recsim_auto_video_flip_class_init(RecsimAutoVideoFlipClass *klass) {
  GObjectClass *object_class = G_OBJECT_CLASS(klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS(klass);
  object_class->set_property = recsim_auto_video_flip_set_property;
  object_class->get_property = recsim_auto_video_flip_get_property;
  /* The enum type (GstVideoOrientationMethod) comes from videoflip itself, looked up here at
   * first use (the registry is complete by then), so that only gstreamer-1.0 is linked. */
  GParamSpec *orig = videoflip_direction_pspec();
  if (orig != NULL)
    g_object_class_install_property(
        object_class, PROP_VIDEO_DIRECTION,
        g_param_spec_enum("video-direction", "Video direction", "Forwarded to videoflip",
                          G_PARAM_SPEC_VALUE_TYPE(orig), G_PARAM_SPEC_ENUM(orig)->default_value,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  gst_element_class_add_pad_template(
      element_class, gst_pad_template_new("sink", GST_PAD_SINK, GST_PAD_ALWAYS, GST_CAPS_ANY));
  gst_element_class_add_pad_template(
      element_class, gst_pad_template_new("src", GST_PAD_SRC, GST_PAD_ALWAYS, GST_CAPS_ANY));
  gst_element_class_set_static_metadata(element_class, "autovideoflip (recsim stand-in)",
                                        "Filter/Effect/Video", "videoflip in a bin, for GStreamer < 1.24",
                                        "recsim");
}

static gboolean plugin_init(GstPlugin *plugin) {
  /* Only registers: during a registry scan (gst-plugin-scanner) no other plugin is known yet. */
  return gst_element_register(plugin, "autovideoflip", GST_RANK_NONE, RECSIM_TYPE_AUTO_VIDEO_FLIP);
}

GST_PLUGIN_DEFINE(GST_VERSION_MAJOR, GST_VERSION_MINOR, recsimautovideoflip,
                  "autovideoflip stand-in for GStreamer < 1.24 (recsim conformance lab)", plugin_init,
                  "1.0", "MIT/X11", "recsim", "https://jsr.io/@recsim/core")
