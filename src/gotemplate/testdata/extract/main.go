// Extracts test tables from Go's text/template and fmt tests as JSON (for aksfleet's gotemplate tests).
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"strings"
)

func strOf(fset *token.FileSet, e ast.Expr) (string, bool) {
	tv, err := types.Eval(fset, nil, token.NoPos, exprString(fset, e))
	if err != nil || tv.Value == nil || tv.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(tv.Value), true
}

func exprString(fset *token.FileSet, e ast.Expr) string {
	var b strings.Builder
	if err := printExpr(&b, fset, e); err != nil {
		return ""
	}
	return b.String()
}

func printExpr(b *strings.Builder, fset *token.FileSet, e ast.Expr) error {
	src, _ := os.ReadFile(fset.File(e.Pos()).Name())
	start := fset.Position(e.Pos()).Offset
	end := fset.Position(e.End()).Offset
	b.Write(src[start:end])
	return nil
}

func table(path, varName string) []*ast.CompositeLit {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, 0)
	if err != nil {
		panic(err)
	}
	var rows []*ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) == 0 || vs.Names[0].Name != varName {
			return true
		}
		cl := vs.Values[0].(*ast.CompositeLit)
		for _, elt := range cl.Elts {
			if r, ok := elt.(*ast.CompositeLit); ok {
				rows = append(rows, r)
			}
		}
		return false
	})
	fsets[path] = fset
	return rows
}

var fsets = map[string]*token.FileSet{}

func main() {
	out := map[string]any{}
	src := "/usr/local/go/src/"
	// exec tests: {name, input, output, data, ok}
	var execRows []map[string]any
	p := src + "text/template/exec_test.go"
	for _, r := range table(p, "execTests") {
		fset := fsets[p]
		name, ok1 := strOf(fset, r.Elts[0])
		input, ok2 := strOf(fset, r.Elts[1])
		if !ok1 || !ok2 {
			continue
		}
		execRows = append(execRows, map[string]any{"name": name, "input": input, "data": exprString(fset, r.Elts[3])})
	}
	out["exec"] = execRows
	var parseRows []map[string]any
	p = src + "text/template/parse/parse_test.go"
	for _, name := range []string{"parseTests", "builtinParseTests"} {
		for _, r := range table(p, name) {
			fset := fsets[p]
			n, ok1 := strOf(fset, r.Elts[0])
			input, ok2 := strOf(fset, r.Elts[1])
			if !ok1 || !ok2 {
				continue
			}
			parseRows = append(parseRows, map[string]any{"name": n, "input": input})
		}
	}
	out["parse"] = parseRows
	var fmtRows []map[string]any
	p = src + "fmt/fmt_test.go"
	for _, r := range table(p, "fmtTests") {
		fset := fsets[p]
		f, ok := strOf(fset, r.Elts[0])
		if !ok {
			continue
		}
		fmtRows = append(fmtRows, map[string]any{"fmt": f, "val": exprString(fset, r.Elts[1])})
	}
	out["fmt"] = fmtRows
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
