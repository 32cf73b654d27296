package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf"
)

// Only what the file sets reaches the engine, which then names nginx's defaults for the rest.
func TestNginxFromUpstreamPassesOnlyExplicitSettings(t *testing.T) {
	a, err := nginxconf.AnalyzeContent("http { keepalive_timeout 30s; upstream api { server 127.0.0.1:8000; keepalive 8; keepalive_timeout 5s; } }",
		nginxconf.Options{NginxVersion: "1.22.1"})
	if err != nil {
		t.Fatal(err)
	}
	ng := nginxFromUpstream(a.Upstreams["api"], a, "1.22.1")
	if ng.KeepaliveTimeout == nil || *ng.KeepaliveTimeout != 5*time.Second || ng.Keepalive == nil || *ng.Keepalive != 8 {
		t.Errorf("explicit settings lost: %+v", ng)
	}
	if ng.KeepaliveRequests != nil || ng.KeepaliveTime != nil {
		t.Errorf("defaults passed as if set: %+v", ng)
	}
	if ng.ClientKeepaliveTimeout == nil || *ng.ClientKeepaliveTimeout != 30*time.Second || ng.Version != "1.22.1" {
		t.Errorf("client side or version wrong: %+v", ng)
	}
}

// An analysed upstream from nginxkeepalive_config must decode as `nginx` as-is: every attribute
// of its object is a field of the nginx set or one the set ignores.
func TestConfigUpstreamIsAnNginxObject(t *testing.T) {
	var resp datasource.SchemaResponse
	NewConfigDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	upstreams, ok := resp.Schema.Attributes["upstreams"].(dsschema.MapNestedAttribute)
	if !ok {
		t.Fatalf("upstreams is %T", resp.Schema.Attributes["upstreams"])
	}
	known := map[string]bool{}
	for _, f := range nginxSet.fields {
		known[f.name] = true
	}
	for _, name := range nginxSet.ignored {
		known[name] = true
	}
	for name := range upstreams.NestedObject.Attributes {
		if !known[name] {
			t.Errorf("nginxkeepalive_config's upstream attribute %q is neither read nor ignored by the nginx set", name)
		}
	}
}
