// Command cel-vap is aksfleet's test oracle for the evaluation of a ValidatingAdmissionPolicy
// (k8s.io/apiserver v0.35.2, plugin/policy/validating): the policy compiled as the plugin's
// compilePolicy does (composited variables, match conditions, validations, message expressions,
// audit annotations, failure policy) and validated with Validator.Validate on one object, with
// optional params and namespace object. Matching (resource rules, selectors, bindings) is not
// part of it. Input on stdin:
//
//	{"cases":[{"policy":{...},"object":{...},"params":{...}|null,"namespace":{...}|null,"operation":"CREATE"}]}
//
// Output: {"results":[{"decisions":[{"action":"admit|deny|...","evaluation":"...","message":"...","reason":"..."}],
// "auditAnnotations":[{"key":"...","value":"...","action":"..."}]} | {"error":"..."}]}.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"

	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/version"
	"k8s.io/apiserver/pkg/admission"
	"k8s.io/apiserver/pkg/admission/plugin/cel"
	"k8s.io/apiserver/pkg/admission/plugin/policy/validating"
	"k8s.io/apiserver/pkg/admission/plugin/webhook/matchconditions"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/authentication/user"
	"k8s.io/apiserver/pkg/cel/environment"
)

type input struct {
	Cases []struct {
		Policy    json.RawMessage        `json:"policy"`
		Object    map[string]interface{} `json:"object"`
		Params    map[string]interface{} `json:"params"`
		Namespace json.RawMessage        `json:"namespace"`
		Operation string                 `json:"operation"`
		Username  string                 `json:"username"`
	} `json:"cases"`
}

func main() {
	var in input
	if err := json.NewDecoder(bufio.NewReader(os.Stdin)).Decode(&in); err != nil {
		fmt.Fprintln(os.Stderr, "bad input:", err)
		os.Exit(2)
	}
	env, err := cel.NewCompositionEnv(cel.VariablesTypeName, environment.MustBaseEnvSet(version.MajorMinor(1, 35)))
	if err != nil {
		panic(err)
	}
	results := []any{}
	for _, c := range in.Cases {
		results = append(results, run(env, c.Policy, c.Object, c.Params, c.Namespace, c.Operation, c.Username))
	}
	out := bufio.NewWriter(os.Stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]any{"results": results})
	out.Flush()
}

func compile(env *cel.CompositionEnv, policy *admissionregistrationv1.ValidatingAdmissionPolicy) validating.Validator {
	hasParam := policy.Spec.ParamKind != nil
	optionalVars := cel.OptionalVariableDeclarations{HasParams: hasParam, HasAuthorizer: true}
	expressionOptionalVars := cel.OptionalVariableDeclarations{HasParams: hasParam, HasAuthorizer: false}
	compiler := cel.NewCompositedCompilerFromTemplate(env)
	vars := make([]cel.NamedExpressionAccessor, len(policy.Spec.Variables))
	for i, v := range policy.Spec.Variables {
		vars[i] = &validating.Variable{Name: v.Name, Expression: v.Expression}
	}
	compiler.CompileAndStoreVariables(vars, optionalVars, environment.StoredExpressions)
	var matcher matchconditions.Matcher
	if n := len(policy.Spec.MatchConditions); n > 0 {
		acc := make([]cel.ExpressionAccessor, n)
		for i := range policy.Spec.MatchConditions {
			acc[i] = (*matchconditions.MatchCondition)(&policy.Spec.MatchConditions[i])
		}
		matcher = matchconditions.NewMatcher(compiler.CompileCondition(acc, optionalVars, environment.StoredExpressions), policy.Spec.FailurePolicy, "policy", "validate", policy.Name)
	}
	validations := make([]cel.ExpressionAccessor, len(policy.Spec.Validations))
	messages := make([]cel.ExpressionAccessor, len(policy.Spec.Validations))
	for i, v := range policy.Spec.Validations {
		validations[i] = &validating.ValidationCondition{Expression: v.Expression, Message: v.Message, Reason: v.Reason}
		if v.MessageExpression != "" {
			messages[i] = &validating.MessageExpressionCondition{MessageExpression: v.MessageExpression}
		}
	}
	audits := make([]cel.ExpressionAccessor, len(policy.Spec.AuditAnnotations))
	for i, a := range policy.Spec.AuditAnnotations {
		audits[i] = &validating.AuditAnnotationCondition{Key: a.Key, ValueExpression: a.ValueExpression}
	}
	return validating.NewValidator(
		compiler.CompileCondition(validations, optionalVars, environment.StoredExpressions),
		matcher,
		compiler.CompileCondition(audits, optionalVars, environment.StoredExpressions),
		compiler.CompileCondition(messages, expressionOptionalVars, environment.StoredExpressions),
		policy.Spec.FailurePolicy,
	)
}

func run(env *cel.CompositionEnv, rawPolicy json.RawMessage, object, params map[string]interface{}, rawNs json.RawMessage, operation, username string) (res map[string]any) {
	defer func() {
		if r := recover(); r != nil {
			res = map[string]any{"error": fmt.Sprintf("panic: %v", r)}
		}
	}()
	var policy admissionregistrationv1.ValidatingAdmissionPolicy
	if err := json.Unmarshal(rawPolicy, &policy); err != nil {
		return map[string]any{"error": "bad policy: " + err.Error()}
	}
	if policy.Spec.FailurePolicy == nil {
		fail := admissionregistrationv1.Fail
		policy.Spec.FailurePolicy = &fail
	}
	obj := &unstructured.Unstructured{Object: object}
	gvk := obj.GroupVersionKind()
	gvr := schema.GroupVersionResource{Group: gvk.Group, Version: gvk.Version, Resource: guessResource(gvk.Kind)}
	op := admission.Operation(operation)
	if op == "" {
		op = admission.Create
	}
	attrs := admission.NewAttributesRecord(obj, nil, gvk, obj.GetNamespace(), obj.GetName(), gvr, "", op, nil, false, &user.DefaultInfo{Name: username})
	versioned := &admission.VersionedAttributes{Attributes: attrs, VersionedKind: gvk, VersionedObject: obj}
	var ns *corev1.Namespace
	if len(rawNs) > 0 && string(rawNs) != "null" {
		ns = &corev1.Namespace{}
		if err := json.Unmarshal(rawNs, ns); err != nil {
			return map[string]any{"error": "bad namespace: " + err.Error()}
		}
	}
	var p runtime.Object
	if params != nil {
		p = &unstructured.Unstructured{Object: params}
	}
	result := compile(env, &policy).Validate(context.Background(), gvr, versioned, p, ns, celconfig.RuntimeCELCostBudget, nil)
	decisions := []map[string]any{}
	for _, d := range result.Decisions {
		decisions = append(decisions, map[string]any{"action": string(d.Action), "evaluation": string(d.Evaluation), "message": d.Message, "reason": string(d.Reason)})
	}
	audits := []map[string]any{}
	for _, a := range result.AuditAnnotations {
		audits = append(audits, map[string]any{"key": a.Key, "value": a.Value, "action": string(a.Action)})
	}
	return map[string]any{"decisions": decisions, "auditAnnotations": audits}
}

func guessResource(kind string) string {
	if kind == "" {
		return ""
	}
	plural := []byte(kind)
	for i, c := range plural {
		if c >= 'A' && c <= 'Z' {
			plural[i] = c + 32
		}
	}
	s := string(plural)
	switch s[len(s)-1] {
	case 's':
		return s + "es"
	case 'y':
		return s[:len(s)-1] + "ies"
	}
	return s + "s"
}
