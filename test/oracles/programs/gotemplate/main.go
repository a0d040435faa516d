// The gotemplate oracle: Go's own text/template, for the TypeScript engine in src/gotemplate.
//
// Reads {"cases":[{"templates":{"name":"text",...},"order":["name",...],"entry":"name","data":<json>,
// "missingkey":"default|zero|error","delims":["[[","]]"],"run":"name"}]} (run: the template to
// execute when not the entry, which is the root template; funcs: names of extra functions, each
// func(...any) (any, error) returning nil, for parsing real charts) on stdin and prints
// {"results":[{"output":"..."}|{"error":"..."}]}: one process for many cases.
//
// Data is decoded with encoding/json (numbers are float64). Test-only functions give typed values
// (the TypeScript tests register the same ones): i64 (float64 -> int64), u8 (float64 -> uint8),
// bytes (string -> []byte), strs (variadic string -> []string), fail (returns an error),
// typed (map[string]int from pairs), boom (panics), and the helpers of Go's own exec_test.go
// (add, echo, makemap, mapOfThree, oneArg, twoArgs, dddArg, returnInt, typeOf, zeroArgs,
// valueString, die), and obj (a *Obj struct with methods). With "parseOnly": true the result is the entry's parse tree, Root.String().
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/template"
)

type testCase struct {
	Templates  map[string]string `json:"templates"`
	Order      []string          `json:"order"`
	Entry      string            `json:"entry"`
	Data       any               `json:"data"`
	MissingKey string            `json:"missingkey"`
	Delims     []string          `json:"delims"`
	ParseOnly  bool              `json:"parseOnly"`
	Run        string            `json:"run"`
	Funcs      []string          `json:"funcs"`
}

type result struct {
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// Obj is the struct behind the test function obj: fields, and methods with and without arguments.
type Obj struct {
	Name  string
	Items []any
	Meta  map[string]any
}

func (o *Obj) Upper() string              { return strings.ToUpper(o.Name) }
func (o *Obj) Greet(s string) string      { return "hello " + s + " from " + o.Name }
func (o *Obj) Fail() (string, error)      { return "", errors.New("failed " + o.Name) }
func (o *Obj) Pair(a int, b ...any) []any { return append([]any{a}, b...) }

var testFuncs = template.FuncMap{
	"obj": func(name string) *Obj {
		return &Obj{Name: name, Items: []any{1, "x"}, Meta: map[string]any{"k": "v"}}
	},
	"i64":   func(f float64) int64 { return int64(f) },
	"u8":    func(f float64) uint8 { return uint8(f) },
	"bytes": func(s string) []byte { return []byte(s) },
	"strs":  func(s ...string) []string { return s },
	"fail":  func(msg string) (string, error) { return "", errors.New(msg) },
	"boom":  func(msg string) string { panic(msg) },
	"add": func(args ...int) int {
		sum := 0
		for _, x := range args {
			sum += x
		}
		return sum
	},
	"echo": func(arg any) any { return arg },
	"makemap": func(arg ...string) map[string]string {
		if len(arg)%2 != 0 {
			panic("bad makemap")
		}
		m := make(map[string]string)
		for i := 0; i < len(arg); i += 2 {
			m[arg[i]] = arg[i+1]
		}
		return m
	},
	"mapOfThree":  func() any { return map[string]int{"three": 3} },
	"oneArg":      func(a string) string { return "oneArg=" + a },
	"twoArgs":     func(a, b string) string { return "twoArgs=" + a + b },
	"dddArg":      func(a int, b ...string) string { return fmt.Sprintln(a, b) },
	"returnInt":   func() int { return 7 },
	"typeOf":      func(arg any) string { return fmt.Sprintf("%T", arg) },
	"zeroArgs":    func() string { return "zeroArgs" },
	"valueString": func(v string) string { return "value is ignored" },
	"die":         func() bool { panic("die") },
	"typed": func(kv ...any) map[string]int {
		m := map[string]int{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = int(kv[i+1].(int))
		}
		return m
	},
}

func run(c testCase) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("oracle panic: %v", r)
		}
	}()
	root := template.New(c.Entry).Funcs(testFuncs)
	if len(c.Funcs) > 0 {
		extra := template.FuncMap{}
		for _, name := range c.Funcs {
			extra[name] = func(args ...any) (any, error) { return nil, nil }
		}
		root = root.Funcs(extra)
	}
	if c.MissingKey != "" {
		root = root.Option("missingkey=" + c.MissingKey)
	}
	if len(c.Delims) == 2 {
		root = root.Delims(c.Delims[0], c.Delims[1])
	}
	order := c.Order
	if len(order) == 0 {
		for name := range c.Templates {
			order = append(order, name)
		}
	}
	for _, name := range order {
		t := root
		if name != c.Entry {
			t = root.New(name)
		}
		if _, err := t.Parse(c.Templates[name]); err != nil {
			return "", err
		}
	}
	if c.ParseOnly {
		t := root.Lookup(c.Entry)
		if t == nil || t.Tree == nil || t.Tree.Root == nil {
			return "", fmt.Errorf("no tree for %q", c.Entry)
		}
		return t.Tree.Root.String(), nil
	}
	var b strings.Builder
	run := c.Entry
	if c.Run != "" {
		run = c.Run
	}
	if err := root.ExecuteTemplate(&b, run, c.Data); err != nil {
		return b.String(), err
	}
	return b.String(), nil
}

func main() {
	var in struct {
		Cases []testCase `json:"cases"`
	}
	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	if err := dec.Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "gotemplate oracle: bad input:", err)
		os.Exit(2)
	}
	results := make([]result, len(in.Cases))
	for i, c := range in.Cases {
		out, err := run(c)
		if err != nil {
			msg := err.Error()
			results[i].Error = &msg
		} else {
			results[i].Output = &out
		}
	}
	w := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"results": results}); err != nil {
		fmt.Fprintln(os.Stderr, "gotemplate oracle:", err)
		os.Exit(3)
	}
	w.Flush()
}
