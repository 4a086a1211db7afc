/**
 * The assertions of the testharness shim (see `testharness.js`), with testharness.js's
 * names, arguments and message shapes (`assert_equals: <description> expected X but got Y`).
 * Written for recsim; none of testharness.js's code is copied.
 *
 * @module
 */
import { AssertionError, OptionalFeatureUnsupportedError } from "./testharness_errors.js";

/** The legacy `code` of each DOMException name that has one (WebIDL's table). */
const DOM_CODES = {
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  WrongDocumentError: 4,
  InvalidCharacterError: 5,
  NoModificationAllowedError: 7,
  NotFoundError: 8,
  NotSupportedError: 9,
  InUseAttributeError: 10,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidModificationError: 13,
  NamespaceError: 14,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  URLMismatchError: 21,
  QuotaExceededError: 22,
  TimeoutError: 23,
  InvalidNodeTypeError: 24,
  DataCloneError: 25,
};

/** @param {unknown} v */
function fmt(v) {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" && Object.is(v, -0)) return "-0";
  if (typeof v === "function") return `function "${v.name || "anonymous"}"`;
  if (Array.isArray(v)) return `[${v.map(fmt).join(", ")}]`;
  if (v && typeof v === "object") {
    try {
      return `object "${String(v)}"`;
    } catch {
      return "object";
    }
  }
  return String(v);
}

/**
 * @param {boolean} ok
 * @param {string} name
 * @param {string | undefined} description
 * @param {string} message
 */
function check(ok, name, description, message) {
  if (!ok) throw new AssertionError(`${name}: ${description ? description + " " : ""}${message}`);
}

/** @param {unknown} a @param {unknown} b */
function same(a, b) {
  return Object.is(a, b);
}

/** @param {unknown} actual @param {string} [description] */
export function assert_true(actual, description) {
  check(actual === true, "assert_true", description, `expected true got ${fmt(actual)}`);
}

/** @param {unknown} actual @param {string} [description] */
export function assert_false(actual, description) {
  check(actual === false, "assert_false", description, `expected false got ${fmt(actual)}`);
}

/** @param {unknown} actual @param {unknown} expected @param {string} [description] */
export function assert_equals(actual, expected, description) {
  check(
    same(actual, expected),
    "assert_equals",
    description,
    `expected ${fmt(expected)} but got ${fmt(actual)}`,
  );
}

/** @param {unknown} actual @param {unknown} expected @param {string} [description] */
export function assert_not_equals(actual, expected, description) {
  check(
    !same(actual, expected),
    "assert_not_equals",
    description,
    `got disallowed value ${fmt(actual)}`,
  );
}

/** @param {number} actual @param {number} expected @param {number} epsilon @param {string} [description] */
export function assert_approx_equals(actual, expected, epsilon, description) {
  check(
    typeof actual === "number" && Math.abs(actual - expected) <= epsilon,
    "assert_approx_equals",
    description,
    `expected ${fmt(expected)} +/- ${fmt(epsilon)} but got ${fmt(actual)}`,
  );
}

/**
 * @param {string} name
 * @param {(a: number, b: number) => boolean} op
 * @param {string} relation
 */
function compare(name, op, relation) {
  /** @param {number} actual @param {number} expected @param {string} [description] */
  return (actual, expected, description) =>
    check(
      typeof actual === "number" && op(actual, expected),
      name,
      description,
      `expected a number ${relation} ${fmt(expected)} but got ${fmt(actual)}`,
    );
}

/** `actual > expected`. */
export const assert_greater_than = compare("assert_greater_than", (a, b) => a > b, "greater than");
/** `actual < expected`. */
export const assert_less_than = compare("assert_less_than", (a, b) => a < b, "less than");
/** `actual >= expected`. */
export const assert_greater_than_equal = compare(
  "assert_greater_than_equal",
  (a, b) => a >= b,
  "greater than or equal to",
);
/** `actual <= expected`. */
export const assert_less_than_equal = compare(
  "assert_less_than_equal",
  (a, b) => a <= b,
  "less than or equal to",
);

/** @param {ArrayLike<unknown>} actual @param {ArrayLike<unknown>} expected @param {string} [description] */
export function assert_array_equals(actual, expected, description) {
  check(
    actual !== null && typeof actual === "object" && "length" in actual,
    "assert_array_equals",
    description,
    `value is ${fmt(actual)}, expected array`,
  );
  check(
    actual.length === expected.length,
    "assert_array_equals",
    description,
    `lengths differ, expected array ${fmt([...expected])} length ${expected.length}, got ${
      fmt([...actual])
    } length ${actual.length}`,
  );
  for (let i = 0; i < actual.length; i++) {
    check(
      same(actual[i], expected[i]),
      "assert_array_equals",
      description,
      `expected property ${i} to be ${fmt(expected[i])} but got ${fmt(actual[i])} (expected array ${
        fmt([...expected])
      } got ${fmt([...actual])})`,
    );
  }
}

/** @param {string} actual @param {RegExp} expected @param {string} [description] */
export function assert_regexp_match(actual, expected, description) {
  check(
    expected.test(actual),
    "assert_regexp_match",
    description,
    `expected ${fmt(expected)} but got ${fmt(actual)}`,
  );
}

/** @param {object} object @param {PropertyKey} name @param {string} [description] */
export function assert_own_property(object, name, description) {
  check(
    Object.prototype.hasOwnProperty.call(object, name),
    "assert_own_property",
    description,
    `expected property ${fmt(name)} missing`,
  );
}

/** @param {unknown} object @param {Function} type @param {string} [description] */
export function assert_class_string(object, type, description) {
  const actual = Object.prototype.toString.call(object);
  const expected = `[object ${type}]`;
  check(
    actual === expected,
    "assert_class_string",
    description,
    `expected ${expected} but got ${actual}`,
  );
}

/** @param {string} [description] */
export function assert_unreached(description) {
  throw new AssertionError(`assert_unreached: ${description ?? ""} Reached unreachable code`);
}

/** @param {unknown} condition @param {string} [description] */
export function assert_implements(condition, description) {
  check(!!condition, "assert_implements", description, "");
}

/** Fails the test as PRECONDITION_FAILED when an optional feature is missing. */
export function assert_implements_optional(
  /** @type {unknown} */ condition,
  /** @type {string} */ description,
) {
  if (!condition) {
    throw new OptionalFeatureUnsupportedError(`assert_implements_optional: ${description ?? ""}`);
  }
}

/**
 * @param {unknown} e
 * @param {string} type
 * @param {Function} constructor
 * @param {string} assertion
 * @param {string | undefined} description
 */
function checkDom(e, type, constructor, assertion, description) {
  check(
    typeof e === "object" && e !== null,
    assertion,
    description,
    `threw ${fmt(e)} with type ${typeof e}, not an object`,
  );
  const err = /** @type {{ name?: unknown, code?: unknown, constructor?: unknown }} */ (e);
  check(
    err.name === type,
    assertion,
    description,
    `threw ${fmt(e)} that is not a DOMException ${type}: property "name" is equal to ${
      fmt(err.name)
    }, expected ${fmt(type)}`,
  );
  const code = /** @type {Record<string, number>} */ (DOM_CODES)[type] ?? 0;
  check(
    err.code === code,
    assertion,
    description,
    `threw ${fmt(e)}: property "code" is equal to ${fmt(err.code)}, expected ${code}`,
  );
  check(
    err.constructor === constructor,
    assertion,
    description,
    `threw an exception from the wrong global (not this realm's ${constructor.name})`,
  );
}

/**
 * `assert_throws_dom(name, func, description)`, or with a `DOMException` constructor from
 * another global: `assert_throws_dom(name, constructor, func, description)`.
 *
 * @param {string} type
 * @param {Function} funcOrConstructor
 * @param {Function | string} [descriptionOrFunc]
 * @param {string} [maybeDescription]
 */
export function assert_throws_dom(type, funcOrConstructor, descriptionOrFunc, maybeDescription) {
  let constructor = DOMException;
  let func = funcOrConstructor;
  let description = /** @type {string | undefined} */ (descriptionOrFunc);
  if (typeof descriptionOrFunc === "function") {
    constructor = /** @type {typeof DOMException} */ (funcOrConstructor);
    func = descriptionOrFunc;
    description = maybeDescription;
  }
  try {
    func.call(null);
  } catch (e) {
    checkDom(e, type, constructor, "assert_throws_dom", description);
    return;
  }
  check(false, "assert_throws_dom", description, `${fmt(func)} did not throw`);
}

/**
 * @param {unknown} e
 * @param {Function} constructor
 * @param {string} assertion
 * @param {string | undefined} description
 */
function checkJs(e, constructor, assertion, description) {
  check(
    typeof e === "object" && e !== null,
    assertion,
    description,
    `threw ${fmt(e)} with type ${typeof e}, not an object`,
  );
  const err = /** @type {{ name?: unknown, constructor?: unknown }} */ (e);
  check(
    err.constructor === constructor && err.name === constructor.name,
    assertion,
    description,
    `threw ${fmt(e)} (${String(err.name)}), expected ${constructor.name}`,
  );
}

/** @param {Function} constructor @param {Function} func @param {string} [description] */
export function assert_throws_js(constructor, func, description) {
  try {
    func.call(null);
  } catch (e) {
    checkJs(e, constructor, "assert_throws_js", description);
    return;
  }
  check(false, "assert_throws_js", description, `${fmt(func)} did not throw`);
}

/** @param {unknown} exception @param {Function} func @param {string} [description] */
export function assert_throws_exactly(exception, func, description) {
  try {
    func.call(null);
  } catch (e) {
    check(
      same(e, exception),
      "assert_throws_exactly",
      description,
      `threw ${fmt(e)} but expected ${fmt(exception)}`,
    );
    return;
  }
  check(false, "assert_throws_exactly", description, `${fmt(func)} did not throw`);
}

/**
 * @param {{ step_func?: unknown }} _t
 * @param {string} type
 * @param {PromiseLike<unknown> | Function} promiseOrConstructor
 * @param {PromiseLike<unknown> | string} [promiseOrDescription]
 * @param {string} [maybeDescription]
 */
export function promise_rejects_dom(
  _t,
  type,
  promiseOrConstructor,
  promiseOrDescription,
  maybeDescription,
) {
  let constructor = DOMException;
  let promise = /** @type {PromiseLike<unknown>} */ (promiseOrConstructor);
  let description = /** @type {string | undefined} */ (promiseOrDescription);
  if (typeof promiseOrConstructor === "function") {
    constructor = /** @type {typeof DOMException} */ (promiseOrConstructor);
    promise = /** @type {PromiseLike<unknown>} */ (promiseOrDescription);
    description = maybeDescription;
  }
  return Promise.resolve(promise).then(
    () => check(false, "promise_rejects_dom", description, "Should have rejected"),
    (e) => checkDom(e, type, constructor, "promise_rejects_dom", description),
  );
}

/**
 * @param {unknown} _t
 * @param {Function} constructor
 * @param {PromiseLike<unknown>} promise
 * @param {string} [description]
 */
export function promise_rejects_js(_t, constructor, promise, description) {
  return Promise.resolve(promise).then(
    () => check(false, "promise_rejects_js", description, "Should have rejected"),
    (e) => checkJs(e, constructor, "promise_rejects_js", description),
  );
}

/**
 * @param {unknown} _t
 * @param {unknown} exception
 * @param {PromiseLike<unknown>} promise
 * @param {string} [description]
 */
export function promise_rejects_exactly(_t, exception, promise, description) {
  return Promise.resolve(promise).then(
    () => check(false, "promise_rejects_exactly", description, "Should have rejected"),
    (e) => check(same(e, exception), "promise_rejects_exactly", description, `threw ${fmt(e)}`),
  );
}
