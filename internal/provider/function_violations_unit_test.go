package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// runViolations calls the function as Terraform would, without the CLI.
func runViolations(t *testing.T, nginx, backends attr.Value) ([]string, *function.FuncError) {
	t.Helper()
	req := function.RunRequest{Arguments: function.NewArgumentsData([]attr.Value{nginx, backends})}
	resp := function.RunResponse{Result: function.NewResultData(types.ListUnknown(types.StringType))}
	NewViolationsFunction().Run(context.Background(), req, &resp)
	if resp.Error != nil {
		return nil, resp.Error
	}
	var out []string
	list, ok := resp.Result.Value().(types.List)
	if !ok {
		t.Fatalf("result is %T, want a list", resp.Result.Value())
	}
	for _, v := range list.Elements() {
		s, ok := v.(types.String)
		if !ok {
			t.Fatalf("element is %T, want a string", v)
		}
		out = append(out, s.ValueString())
	}
	return out, nil
}

func TestViolationsFunctionRun(t *testing.T) {
	nginxType := map[string]attr.Type{"keepalive_timeout": types.StringType}
	nginx := func(timeout string) attr.Value {
		return types.DynamicValue(types.ObjectValueMust(nginxType, map[string]attr.Value{"keepalive_timeout": types.StringValue(timeout)}))
	}
	typeOnly := types.ObjectType{AttrTypes: map[string]attr.Type{"type": types.StringType}}
	backends := types.DynamicValue(types.TupleValueMust([]attr.Type{typeOnly}, []attr.Value{
		types.ObjectValueMust(typeOnly.AttrTypes, map[string]attr.Value{"type": types.StringValue("gunicorn")}),
	}))

	got, err := runViolations(t, nginx("60s"), backends)
	if err != nil || len(got) != 1 || !strings.Contains(got[0], "nginx outlives gunicorn") {
		t.Errorf("60s against gunicorn: got %q, %v; want one violation", got, err)
	}
	if got, err := runViolations(t, nginx("1s"), backends); err != nil || len(got) != 0 {
		t.Errorf("1s against gunicorn: got %q, %v; want none", got, err)
	}
	_, err = runViolations(t, nginx("5 sec"), backends)
	if err == nil || err.FunctionArgument == nil || *err.FunctionArgument != 0 ||
		!strings.Contains(err.Text, `nginx.keepalive_timeout: invalid nginx time "5 sec"`) {
		t.Errorf("bad nginx time: got %v, want an error on argument 0 naming the attribute", err)
	}
	_, err = runViolations(t, types.DynamicNull(), dynamicBackends(map[string]attr.Value{"type": types.StringValue("custom"), "idle_timeout": types.StringValue("0s")}))
	if err == nil || err.FunctionArgument == nil || *err.FunctionArgument != 1 ||
		!strings.Contains(err.Text, `backends[0].idle_timeout: "0s" is zero`) {
		t.Errorf("zero idle timeout: got %v, want an error on argument 1 naming the attribute", err)
	}
}
