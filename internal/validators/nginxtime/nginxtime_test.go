package nginxtime

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The validator's detail is the path followed by Parse's error, so the decoders that use Parse
// for values the validator never saw word the same value the same way.
func TestValidatorWordsErrorsAsParse(t *testing.T) {
	at := path.Root("backends").AtListIndex(0).AtName("idle_timeout")
	for _, tc := range []struct {
		value    string
		positive bool
		want     string
	}{
		{"0s", true, `"0s" is zero; give a positive duration such as "5s"`},
		{"5 sec", false, `invalid nginx time "5 sec"`},
		{"1y", true, "years are not allowed"},
	} {
		var resp validator.StringResponse
		v := Valid()
		if tc.positive {
			v = Positive()
		}
		v.ValidateString(context.Background(), validator.StringRequest{Path: at, ConfigValue: types.StringValue(tc.value)}, &resp)
		_, err := Parse(tc.value, tc.positive)
		if err == nil || !resp.Diagnostics.HasError() {
			t.Fatalf("%q: want an error from both, got %v and %v", tc.value, err, resp.Diagnostics)
		}
		detail := resp.Diagnostics[0].Detail()
		if detail != at.String()+": "+err.Error() || !strings.Contains(detail, tc.want) {
			t.Errorf("%q: validator says %q, Parse says %q, want both to contain %q", tc.value, detail, err, tc.want)
		}
	}
	if _, err := Parse("0s", false); err != nil {
		t.Errorf("Valid accepts 0: %v", err)
	}
}
