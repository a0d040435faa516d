/**
 * Rego cases from OPA's documentation (PL = /docs/policy-language, PR = /docs/policy-reference),
 * shared by src/rego/rego.test.ts (our results) and test/rego/opa-differential.test.ts (the same
 * cases through the real `opa eval`, which must give the same JSON).
 */

export interface RegoCase {
  readonly section: string;
  readonly name: string;
  /** One module, Rego v1 unless `v0`. */
  readonly module: string;
  readonly v0?: boolean;
  readonly query: string;
  readonly input?: unknown;
  /** The JSON value (`undefined`: the query is undefined). */
  readonly want?: unknown;
  readonly error?: { readonly code: string; readonly message?: RegExp };
  /** A documented difference from opa (docs/rego.md "Not supported"): the differential test skips it. */
  readonly differsFromOpa?: string;
}

export const REGO_TABLE: readonly RegoCase[] = [
  // --- Rules ---
  {
    section: 'PL Complete Definitions',
    name: 'a rule whose body fails is undefined, not false',
    module: 'package t\np if false',
    query: 'data.t.p',
    want: undefined,
  },
  {
    section: 'PL Default Keyword',
    name: 'default gives the value when no body holds',
    module: 'package t\ndefault allow := false\nallow if input.x == 1',
    query: 'data.t.allow',
    input: { x: 2 },
    want: false,
  },
  {
    section: 'PL Complete Definitions',
    name: 'two values of a complete rule conflict',
    module: 'package t\np := 1 if true\np := 2 if true',
    query: 'data.t.p',
    error: {
      code: 'eval_conflict_error',
      message: /rule data\.t\.p produced conflicting values:\n  1 at policy\.rego:2\n  2 at policy\.rego:3/,
    },
  },
  {
    section: 'PL Complete Definitions',
    name: 'two bodies with one value do not conflict',
    module: 'package t\np := 1 if input.a\np := 1 if input.b',
    query: 'data.t.p',
    input: { a: true, b: true },
    want: 1,
  },
  {
    section: 'PL Incremental Definitions',
    name: 'partial set rules (v1 contains)',
    module: 'package t\nnames contains n if some n in input\nnames contains "z"',
    query: 'data.t.names',
    input: ['b', 'a', 'b'],
    want: ['a', 'b', 'z'],
  },
  {
    section: 'PL Incremental Definitions',
    name: 'partial set rules (v0 brackets)',
    v0: true,
    module: 'package t\nq[x] { x := input[_] }',
    query: 'data.t.q',
    input: [3, 1, 2],
    want: [1, 2, 3],
  },
  {
    section: 'PL Incremental Definitions',
    name: 'partial object rules',
    module: 'package t\nports[name] := p if {\n  some c in input.containers\n  name := c.name\n  p := c.port\n}',
    query: 'data.t.ports',
    input: {
      containers: [
        { name: 'b', port: 2 },
        { name: 'a', port: 1 },
      ],
    },
    want: { a: 1, b: 2 },
  },
  {
    section: 'PL Incremental Definitions',
    name: 'partial object key conflict',
    module: 'package t\nobj[k] := v if {\n  some v in [1, 2]\n  k := "a"\n}',
    query: 'data.t.obj',
    error: { code: 'eval_conflict_error', message: /object keys must be unique/ },
  },
  {
    section: 'PL Functions',
    name: 'functions with several definitions and constant arguments',
    module: 'package t\nf("a") := 1\nf("b") := 2\nf(x) := 3 if not x in {"a", "b"}\nr := [f("a"), f("b"), f("c")]',
    query: 'data.t.r',
    want: [1, 2, 3],
  },
  {
    section: 'PL Functions',
    name: 'a function with two outputs for the same input conflicts',
    module: 'package t\nf(x) := 1 if x\nf(x) := 2 if x\nr := f(true)',
    query: 'data.t.r',
    error: { code: 'eval_conflict_error', message: /functions must not produce multiple outputs/ },
  },
  {
    section: 'PL Functions',
    name: 'an undefined argument makes the call undefined',
    module: 'package t\nf(x) := x\nr := f(input.missing)',
    query: 'data.t.r',
    input: {},
    want: undefined,
  },
  {
    section: 'PL Else Keyword',
    name: 'else chains give the first branch that holds',
    module:
      'package t\nauthorize := "allow" if {\n  input.user == "superuser"\n' +
      '} else := "deny" if {\n  input.path[0] == "admin"\n} else := "unknown"',
    query: 'data.t.authorize',
    input: { user: 'bob', path: ['admin'] },
    want: 'deny',
  },
  {
    section: 'PL Else Keyword',
    name: 'else on functions',
    module: 'package t\nsign(x) := "neg" if x < 0\nelse := "pos"\nr := [sign(-1), sign(2)]',
    query: 'data.t.r',
    want: ['neg', 'pos'],
  },
  {
    section: 'PL Rules',
    name: 'ref heads define nested documents',
    module: 'package t\na.b.c := 1\na.b.d := 2',
    query: 'data.t.a',
    want: { b: { c: 1, d: 2 } },
  },
  {
    section: 'PL Rules',
    name: 'a package evaluates to the object of its rules (functions left out)',
    module: 'package t\nx := 1\nf(y) := y\ns contains 1',
    query: 'data.t',
    want: { s: [1], x: 1 },
  },
  // --- Expressions and variables ---
  {
    section: 'PL Unification',
    name: 'unification binds both sides',
    module: 'package t\nr := [x, y] if [x, "b"] = ["a", y]',
    query: 'data.t.r',
    want: ['a', 'b'],
  },
  {
    section: 'PL Unification',
    name: 'unification fails on mismatch',
    module: 'package t\nr if {\n  x := 1\n  [1, x] = [2, x]\n}',
    query: 'data.t.r',
    want: undefined,
  },
  {
    section: 'PL Variables',
    name: 'references with variables iterate',
    module: 'package t\nr contains [i, v] if v := input.xs[i]',
    query: 'data.t.r',
    input: { xs: ['p', 'q'] },
    want: [
      [0, 'p'],
      [1, 'q'],
    ],
  },
  {
    section: 'PL Some Keyword',
    name: 'some x in xs',
    module: 'package t\nr contains x if {\n  some x in input\n  x > 1\n}',
    query: 'data.t.r',
    input: [1, 2, 3],
    want: [2, 3],
  },
  {
    section: 'PL Some Keyword',
    name: 'some k, v in an object',
    module: 'package t\nr contains k if {\n  some k, v in input\n  v == 1\n}',
    query: 'data.t.r',
    input: { a: 1, b: 2, c: 1 },
    want: ['a', 'c'],
  },
  {
    section: 'PL Every Keyword',
    name: 'every holds for all members',
    module: 'package t\nall_pos if every x in input { x > 0 }',
    query: 'data.t.all_pos',
    input: [1, 2],
    want: true,
  },
  {
    section: 'PL Every Keyword',
    name: 'every fails on one member',
    module: 'package t\nall_pos if every x in input { x > 0 }',
    query: 'data.t.all_pos',
    input: [1, -2],
    want: undefined,
  },
  {
    section: 'PL Every Keyword',
    name: 'every over an empty collection holds',
    module: 'package t\nall_pos if every x in input { x > 0 }',
    query: 'data.t.all_pos',
    input: [],
    want: true,
  },
  {
    section: 'PL Negation',
    name: 'not of an undefined expression holds',
    module: 'package t\nr if not input.missing',
    query: 'data.t.r',
    input: {},
    want: true,
  },
  {
    section: 'PL Negation',
    name: 'not of false holds',
    module: 'package t\nr if not input.f',
    query: 'data.t.r',
    input: { f: false },
    want: true,
  },
  {
    section: 'PL Membership and iteration: in',
    name: 'in on arrays, sets and object values',
    module: 'package t\nr := [1 in [1, 2], 3 in {1}, "v" in {"k": "v"}, "k" in {"k": "v"}]',
    query: 'data.t.r',
    want: [true, false, true, false],
  },
  {
    section: 'PL Membership and iteration: in',
    name: 'k, v in',
    module: 'package t\nr := [0, "a" in ["a"], 1, "a" in ["a"]]',
    query: 'data.t.r',
    want: [0, true, 1, true],
  },
  {
    section: 'PL With Keyword',
    name: 'with replaces input for one expression',
    module: 'package t\nallow if input.user == "alice"\nr := [x | x := allow with input as {"user": "alice"}]',
    query: 'data.t.r',
    input: { user: 'bob' },
    want: [true],
  },
  {
    section: 'PL With Keyword',
    name: 'with replaces a path of input',
    module: 'package t\nv := input.a.b\nr := x if x := v with input.a.b as 7',
    query: 'data.t.r',
    input: { a: { b: 1, c: 2 } },
    want: 7,
  },
  {
    section: 'PL With Keyword',
    name: 'with on a function (mocking) is refused at compile time',
    module: 'package t\nf(x) := x\nr := y if y := f(1) with f as 2',
    query: 'data.t.r',
    error: { code: 'rego_compile_error', message: /with keyword target/ },
    differsFromOpa: 'opa mocks the function; we refuse function mocking (a test-only feature)',
  },
  {
    section: 'PL Comprehensions',
    name: 'array, set and object comprehensions',
    module:
      'package t\na := [(x * 2) | some x in input]\ns := {(x % 2) | some x in input}\n' +
      'o := {k: v | some v in input; k := sprintf("k%d", [v])}',
    query: 'data.t',
    input: [1, 2, 3],
    want: { a: [2, 4, 6], o: { k1: 1, k2: 2, k3: 3 }, s: [0, 1] },
  },
  {
    section: 'PL Comprehensions',
    name: 'an operator call as head needs parentheses (OPA reads | as union)',
    module: 'package t\na := [x * 2 | some x in input]',
    query: 'data.t.a',
    error: { code: 'rego_parse_error' },
  },
  {
    section: 'PL Comprehensions',
    name: 'a comprehension sees the enclosing bindings',
    module: 'package t\nr := {n: c | some n in input.names; c := count([x | some x in input.items; startswith(x, n)])}',
    query: 'data.t.r',
    input: { names: ['a', 'b'], items: ['ax', 'ay', 'bz'] },
    want: { a: 2, b: 1 },
  },
  {
    section: 'PL Strings',
    name: 'raw strings keep backslashes',
    module: 'package t\nr := `a\\nb`',
    query: 'data.t.r',
    want: 'a\\nb',
  },
  {
    section: 'PL Sets',
    name: 'set operations | & -',
    module: 'package t\nu := {1, 2} | {3}\ni := {1, 2} & {2, 3}\nd := {1, 2} - {2}\nr := [u, i, d]',
    query: 'data.t.r',
    want: [[1, 2, 3], [2], [1]],
  },
  {
    section: 'PL Arithmetic',
    name: 'arithmetic and comparison',
    module: 'package t\nr := [1 + 2 * 3, 7 % 3, 7 / 2, 1 < 2, "a" < "b", [1] == [1]]',
    query: 'data.t.r',
    want: [7, 1, 3.5, true, true, true],
  },
  {
    section: 'PL Safety',
    name: 'expressions are reordered so that variables are bound first',
    v0: true,
    module: 'package t\nr[s] { s = concat(":", [k, v]); v = input[k] }',
    query: 'data.t.r',
    input: { a: 'x', b: 'y' },
    want: ['a:x', 'b:y'],
  },
  {
    section: 'PL Keywords (v0)',
    name: 'v0 rules without if',
    v0: true,
    module: 'package t\nviolation[{"msg": msg}] {\n  not input.labels.owner\n  msg := "owner missing"\n}',
    query: 'data.t.violation',
    input: { labels: {} },
    want: [{ msg: 'owner missing' }],
  },
  {
    section: 'PL Keywords (v1)',
    name: 'v1 requires if before a rule body',
    module: 'package t\np { true }',
    query: 'data.t.p',
    error: { code: 'rego_parse_error', message: /`if` keyword is required/ },
  },
  {
    section: 'PL Variables',
    name: 'a local := shadows a rule of the same name',
    module: 'package t\nmissing(x) := x\nr := m if {\n  missing := 1\n  m := missing + 1\n}',
    query: 'data.t.r',
    want: 2,
  },
  {
    section: 'PL Rules (keyword refs)',
    name: 'a keyword names a rule when a ref follows',
    v0: true,
    module: 'package t\np {\n  as.foo == 1\n  foo.as == 2\n}\nas.foo := 1\nfoo.as := 2',
    query: 'data.t',
    want: { as: { foo: 1 }, foo: { as: 2 }, p: true },
  },
  {
    section: 'PL Imports',
    name: 'imports alias data documents',
    module: 'package t\nimport data.t.lib as l\nr := l.x\nlib.x := 5',
    query: 'data.t.r',
    want: 5,
  },
  {
    section: 'PL Recursion',
    name: 'recursion is an error',
    module: 'package t\np := q\nq := p',
    query: 'data.t.p',
    error: { code: 'rego_recursion_error' },
  },
  // --- Built-ins ---
  {
    section: 'PR Strings: sprintf',
    name: 'Go verbs over Rego values',
    module:
      'package t\nr := [sprintf("%v|%s|%d|%q|%v|%v|%v", ["a", "b", 3, "q", [1, ' +
      '"x"], {"k": 1}, {2, 1}]), sprintf("%.2f %05d %x", [3.14159, 42, 255])]',
    query: 'data.t.r',
    want: ['a|b|3|"q"|[1, "x"]|{"k": 1}|{1, 2}', '3.14 00042 ff'],
  },
  {
    section: 'PR Aggregates',
    name: 'count sum max min sort',
    module:
      'package t\nr := [count("héllo"), count({"a": 1}), sum([1, 2.5]), max([3, 1]), min({2, 5}), sort(["b", "a"])]',
    query: 'data.t.r',
    want: [5, 1, 3.5, 3, 2, ['a', 'b']],
  },
  {
    section: 'PR Strings',
    name: 'string built-ins',
    module:
      'package t\nr := [concat(",", ["a", "b"]), split("a.b", "."), replace("aXbX", "X", "-"), ' +
      'substring("abcdef", 1, 3), indexof("abc", "c"), trim("  x ", " "), trim_prefix("pre-x", ' +
      '"pre-"), trim_suffix("x.yaml", ".yaml"), trim_left("xxa", "x"), trim_right("axx", "x"), ' +
      'trim_space(" a "), lower("AB"), upper("ab"), startswith("abc", "ab"), endswith("abc", ' +
      '"bc"), contains("abc", "b"), format_int(255, 16), strings.replace_n({"a": "1", "b": "2"}, "abc")]',
    query: 'data.t.r',
    want: [
      'a,b',
      ['a', 'b'],
      'a-b-',
      'bcd',
      2,
      'x',
      'x',
      'x',
      'a',
      'a',
      'a',
      'ab',
      'AB',
      true,
      true,
      true,
      'ff',
      '12c',
    ],
  },
  {
    section: 'PR Regex',
    name: 'regex.match searches (RE2)',
    module: 'package t\nr := [regex.match("^[a-z]+$", "abc"), regex.match("b", "abc"), regex.match("^x", "abc")]',
    query: 'data.t.r',
    want: [true, true, false],
  },
  {
    section: 'PR Glob',
    name: 'glob.match with delimiters',
    module:
      'package t\nr := [glob.match("*.example.com", ["."], "a.example.com"), ' +
      'glob.match("*.example.com", ["."], "a.b.example.com"), glob.match("**.example.com", ' +
      '["."], "a.b.example.com"), glob.match("repo/*", [], "repo/a/b")]',
    query: 'data.t.r',
    want: [true, false, true, true],
  },
  {
    section: 'PR Objects',
    name: 'object.get with a default and a path',
    module:
      'package t\nr := [object.get({"a": 1}, "a", 0), object.get({"a": 1}, "b", 0), ' +
      'object.get({"a": {"b": 2}}, ["a", "b"], 0), object.keys({"x": 1, "y": 2})]',
    query: 'data.t.r',
    want: [1, 0, 2, ['x', 'y']],
  },
  {
    section: 'PR Arrays',
    name: 'array.concat and array.slice',
    module: 'package t\nr := [array.concat([1], [2]), array.slice([1, 2, 3, 4], 1, 3), array.slice([1, 2], 1, 9)]',
    query: 'data.t.r',
    want: [[1, 2], [2, 3], [2]],
  },
  {
    section: 'PR Units',
    name: 'units.parse_bytes and units.parse',
    module:
      'package t\nr := [units.parse_bytes("1Ki"), units.parse_bytes("2MB"), ' +
      'units.parse_bytes("100"), units.parse("500m"), units.parse("2Gi"), units.parse("1k")]',
    query: 'data.t.r',
    want: [1024, 2000000, 100, 0.5, 2147483648, 1000],
  },
  {
    section: 'PR Conversions',
    name: 'to_number',
    module: 'package t\nr := [to_number("10"), to_number("1.5"), to_number(true), to_number(null)]',
    query: 'data.t.r',
    want: [10, 1.5, 1, 0],
  },
  {
    section: 'PR Types',
    name: 'type checks',
    module:
      'package t\nr := [is_string("a"), is_number(1), is_array([]), is_object({}), ' +
      'is_set(set()), is_boolean(false), is_null(null), type_name({1})]',
    query: 'data.t.r',
    want: [true, true, true, true, true, true, true, 'set'],
  },
  {
    section: 'PR Sets',
    name: 'union and intersection',
    module: 'package t\nr := [union({{1}, {2}}), intersection({{1, 2}, {2, 3}})]',
    query: 'data.t.r',
    want: [[1, 2], [2]],
  },
  {
    section: 'PR Aggregates',
    name: 'any and all (deprecated: v0 only)',
    v0: true,
    module: 'package t\nr := [any([false, true]), all([true, false]), all([])]',
    query: 'data.t.r',
    want: [true, false, true],
  },
  {
    section: 'PR Deprecated built-ins',
    name: 'any/all are not defined in v1',
    module: 'package t\nr := any([true])',
    query: 'data.t.r',
    error: { code: 'rego_type_error', message: /undefined function any/ },
  },
  {
    section: 'PL Unification',
    name: 'a variable only on both sides of = is unsafe',
    module: 'package t\nr if [1, x] = [2, x]',
    query: 'data.t.r',
    error: { code: 'rego_unsafe_var_error' },
  },
  {
    section: 'PR Encoding',
    name: 'json.marshal and base64.decode',
    module: 'package t\nr := [json.marshal({"b": [1, "x"], "a": null}), base64.decode("aGVsbG8=")]',
    query: 'data.t.r',
    want: ['{"a":null,"b":[1,"x"]}', 'hello'],
  },
  {
    section: 'PR Time',
    name: 'time.parse_rfc3339_ns',
    module: 'package t\nr := time.parse_rfc3339_ns("2024-01-02T03:04:05.5Z")',
    query: 'data.t.r',
    want: 1704164645500000000,
  },
  {
    section: 'PR Net',
    name: 'net.cidr_contains',
    module:
      'package t\nr := [net.cidr_contains("10.0.0.0/8", "10.1.2.3"), net.cidr_contains("10.0.0.0/8", ' +
      '"11.0.0.1"), net.cidr_contains("10.0.0.0/8", "10.2.0.0/16"), net.cidr_contains("fd00::/8", "fd00::1")]',
    query: 'data.t.r',
    want: [true, false, true, true],
  },
  {
    section: 'PR Built-in errors',
    name: 'a built-in error makes the expression undefined',
    module: 'package t\nr := to_number("abc")',
    query: 'data.t.r',
    want: undefined,
  },
  {
    section: 'PR Numbers',
    name: 'big integers keep their digits',
    module: 'package t\nr := sprintf("%d", [123456789123456789123])',
    query: 'data.t.r',
    want: '123456789123456789123',
  },
];
