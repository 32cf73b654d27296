package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

func stringValues(in []types.String) []string {
	out := make([]string, 0, len(in))
	for _, s := range in {
		out = append(out, s.ValueString())
	}
	return out
}

func stringList(in []string, diags *diag.Diagnostics) types.List {
	if in == nil {
		in = []string{}
	}
	v, d := types.ListValueFrom(context.Background(), types.StringType, in)
	diags.Append(d...)
	return v
}

func stringMap(in map[string]string, diags *diag.Diagnostics) types.Map {
	v, d := types.MapValueFrom(context.Background(), types.StringType, in)
	diags.Append(d...)
	return v
}

// optionalTime renders a duration as nginx time, or null when it does not apply (0).
func optionalTime(d time.Duration) types.String {
	if d <= 0 {
		return types.StringNull()
	}
	return types.StringValue(ngxtime.Format(d))
}

func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// optionalInt64 treats 0 as "not set".
func optionalInt64(n int64) types.Int64 {
	if n == 0 {
		return types.Int64Null()
	}
	return types.Int64Value(n)
}
