// deno-lint-ignore-file -- ported WPT code is kept as written upstream (var, let, unused test arguments and results, async functions without await), so that it stays comparable with its source.
/**
 * Port of web-platform-tests/wpt `mediacapture-record/BlobEvent-constructor.html` at
 * a2b6dd730232ba1145cc2f27279bffa4c186bdc4 (BSD-3-Clause, © web-platform-tests
 * contributors; see ../LICENSE.md).
 *
 * Port changes: an ES module importing the testharness shim; the test bodies are unchanged.
 *
 * @module
 */
import { assert_equals, assert_throws_js, test } from "../testharness.js";

test(function () {
  assert_equals(BlobEvent.length, 2);
  assert_throws_js(TypeError, function () {
    new BlobEvent("type");
  });
  assert_throws_js(TypeError, function () {
    new BlobEvent("type", null);
  });
  assert_throws_js(TypeError, function () {
    new BlobEvent("type", undefined);
  });
}, "The BlobEventInit dictionary is required");

test(function () {
  assert_throws_js(TypeError, function () {
    new BlobEvent("type", {});
  });
  assert_throws_js(TypeError, function () {
    new BlobEvent("type", { data: null });
  });
  assert_throws_js(TypeError, function () {
    new BlobEvent("type", { data: undefined });
  });
}, "The BlobEventInit dictionary's data member is required.");

test(function () {
  var blob = new Blob();
  var event = new BlobEvent("type", { data: blob });
  assert_equals(event.type, "type");
  assert_equals(event.data, blob);
}, "The BlobEvent instance's data attribute is set.");
