// Command cel is aksfleet's test oracle for CEL: cel-go with the Kubernetes CEL libraries and the
// base environment exactly as k8s.io/apiserver builds it (environment.MustBaseEnvSet, compatibility
// version 1.35, NewExpressions environment, per-call cost limit). It reads
//
//	{"cases":[{"expr":"...","vars":{...},"costLimit":N}]}
//
// on stdin and writes {"results":[{"value":<tagged json>,"cost":N}|{"error":"...","phase":"compile|eval"}]}.
// Every variable of a case is declared dyn; JSON numbers without a fraction become int64 like
// Kubernetes' unstructured conversion. Values are tagged so that int, uint and double stay apart:
// null, bool, string as JSON; {"int":"1"}, {"uint":"1"}, {"double":1.5|"NaN"|"+Inf"|"-Inf"},
// {"bytes":base64}, [list], {"map":[[k,v],...]} (sorted by encoded key), {"duration":"1s"},
// {"timestamp":"RFC3339"}, {"type":"name"}, {"optional":v} or {"optional":null,"empty":true},
// {"opaque":"type name","string":"..."} for the Kubernetes types (Quantity, IP, CIDR, URL, Semver).
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"

	"k8s.io/apimachinery/pkg/util/version"
	"k8s.io/apiserver/pkg/cel/environment"
)

type input struct {
	Cases []struct {
		Expr      string                     `json:"expr"`
		Vars      map[string]json.RawMessage `json:"vars"`
		CostLimit *uint64                    `json:"costLimit"`
	} `json:"cases"`
}

func main() {
	var in input
	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	if err := dec.Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	base := environment.MustBaseEnvSet(version.MajorMinor(1, 35)).NewExpressionsEnv()
	results := make([]any, 0, len(in.Cases))
	for _, c := range in.Cases {
		results = append(results, run(base, c.Expr, c.Vars, c.CostLimit))
	}
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"results": results}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	out.Flush()
}

func run(base *cel.Env, expr string, rawVars map[string]json.RawMessage, costLimit *uint64) (res map[string]any) {
	defer func() {
		if r := recover(); r != nil {
			res = map[string]any{"error": fmt.Sprintf("panic: %v", r), "phase": "eval"}
		}
	}()
	names := make([]string, 0, len(rawVars))
	for k := range rawVars {
		names = append(names, k)
	}
	sort.Strings(names)
	opts := []cel.EnvOption{}
	vars := map[string]any{}
	for _, n := range names {
		opts = append(opts, cel.Variable(n, cel.DynType))
		v, err := decodeJSON(rawVars[n])
		if err != nil {
			return map[string]any{"error": "bad vars: " + err.Error(), "phase": "input"}
		}
		vars[n] = v
	}
	env, err := base.Extend(opts...)
	if err != nil {
		return map[string]any{"error": err.Error(), "phase": "compile"}
	}
	ast, iss := env.Compile(expr)
	if iss != nil && iss.Err() != nil {
		return map[string]any{"error": iss.Err().Error(), "phase": "compile"}
	}
	popts := []cel.ProgramOption{}
	if costLimit != nil {
		popts = append(popts, cel.CostLimit(*costLimit))
	}
	prg, err := env.Program(ast, popts...)
	if err != nil {
		return map[string]any{"error": err.Error(), "phase": "compile"}
	}
	val, det, err := prg.Eval(vars)
	var cost uint64
	if det != nil && det.ActualCost() != nil {
		cost = *det.ActualCost()
	}
	if err != nil {
		return map[string]any{"error": err.Error(), "phase": "eval", "cost": cost}
	}
	enc, err := encode(val)
	if err != nil {
		return map[string]any{"error": "cannot encode result: " + err.Error(), "phase": "encode"}
	}
	return map[string]any{"value": enc, "type": val.Type().(ref.Type).TypeName(), "cost": cost}
}

// decodeJSON turns JSON into the unstructured shapes Kubernetes hands to CEL: integers as int64,
// other numbers as float64.
func decodeJSON(raw json.RawMessage) (any, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return convertNumbers(v), nil
}

func convertNumbers(v any) any {
	switch t := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(t), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(t), 64)
		return f
	case map[string]any:
		for k, x := range t {
			t[k] = convertNumbers(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = convertNumbers(x)
		}
		return t
	}
	return v
}

func encode(v ref.Val) (any, error) {
	switch t := v.(type) {
	case types.Null:
		return nil, nil
	case types.Bool:
		return bool(t), nil
	case types.String:
		return string(t), nil
	case types.Int:
		return map[string]any{"int": strconv.FormatInt(int64(t), 10)}, nil
	case types.Uint:
		return map[string]any{"uint": strconv.FormatUint(uint64(t), 10)}, nil
	case types.Double:
		f := float64(t)
		switch {
		case math.IsNaN(f):
			return map[string]any{"double": "NaN"}, nil
		case math.IsInf(f, 1):
			return map[string]any{"double": "+Inf"}, nil
		case math.IsInf(f, -1):
			return map[string]any{"double": "-Inf"}, nil
		}
		return map[string]any{"double": f}, nil
	case types.Bytes:
		return map[string]any{"bytes": base64.StdEncoding.EncodeToString([]byte(t))}, nil
	case types.Duration:
		return map[string]any{"duration": t.ConvertToType(types.StringType).(types.String)}, nil
	case types.Timestamp:
		return map[string]any{"timestamp": t.Time.UTC().Format(time.RFC3339Nano)}, nil
	case ref.Type:
		return map[string]any{"type": t.TypeName()}, nil
	case *types.Optional:
		if !t.HasValue() {
			return map[string]any{"optional": nil, "empty": true}, nil
		}
		inner, err := encode(t.GetValue())
		if err != nil {
			return nil, err
		}
		return map[string]any{"optional": inner}, nil
	}
	if l, ok := v.(traits.Lister); ok {
		out := []any{}
		it := l.Iterator()
		for it.HasNext() == types.True {
			e, err := encode(it.Next())
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	}
	if m, ok := v.(traits.Mapper); ok {
		type kv struct {
			key string
			k   any
			v   any
		}
		entries := []kv{}
		it := m.Iterator()
		for it.HasNext() == types.True {
			k := it.Next()
			ek, err := encode(k)
			if err != nil {
				return nil, err
			}
			ev, err := encode(m.Get(k))
			if err != nil {
				return nil, err
			}
			kb, _ := json.Marshal(ek)
			entries = append(entries, kv{string(kb), ek, ev})
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].key < entries[j].key })
		out := [][]any{}
		for _, e := range entries {
			out = append(out, []any{e.k, e.v})
		}
		return map[string]any{"map": out}, nil
	}
	s := v.ConvertToType(types.StringType)
	if str, ok := s.(types.String); ok {
		return map[string]any{"opaque": v.Type().TypeName(), "string": string(str)}, nil
	}
	return map[string]any{"opaque": v.Type().TypeName(), "string": fmt.Sprint(v.Value())}, nil
}
