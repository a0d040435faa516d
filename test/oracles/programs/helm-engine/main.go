// helm-engine: the unit-level oracle for aksfleet's Go template engine with Helm's functions.
// Reads {"cases":[{"templates":{"templates/x.yaml":"..."},"values":{...}}]} on stdin, renders each
// case with Helm's own pkg/engine (a chart built in memory, engine.Render, strict off, as
// `helm template` does) and prints {"results":[{"output":{...}} | {"error":"..."}]}.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/engine"
)

type input struct {
	Cases []struct {
		Templates map[string]string `json:"templates"`
		Values    map[string]any    `json:"values"`
	} `json:"cases"`
}

type result struct {
	Output map[string]string `json:"output,omitempty"`
	Error  *string           `json:"error,omitempty"`
}

func render(templates map[string]string, values map[string]any) (out map[string]string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	c := &chart.Chart{Metadata: &chart.Metadata{APIVersion: "v2", Name: "oracle", Version: "0.1.0", AppVersion: "1.0.0"}}
	for name, text := range templates {
		c.Templates = append(c.Templates, &common.File{Name: name, Data: []byte(text)})
	}
	if values == nil {
		values = map[string]any{}
	}
	opts := common.ReleaseOptions{Name: "release-name", Namespace: "default", Revision: 1, IsInstall: true}
	vals, err := util.ToRenderValues(c, values, opts, common.DefaultCapabilities)
	if err != nil {
		return nil, err
	}
	return engine.Render(c, vals)
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "helm-engine: bad input:", err)
		os.Exit(2)
	}
	results := make([]result, 0, len(in.Cases))
	for _, c := range in.Cases {
		out, err := render(c.Templates, c.Values)
		if err != nil {
			msg := err.Error()
			results = append(results, result{Error: &msg})
		} else {
			results = append(results, result{Output: out})
		}
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"results": results}); err != nil {
		fmt.Fprintln(os.Stderr, "helm-engine:", err)
		os.Exit(3)
	}
}
