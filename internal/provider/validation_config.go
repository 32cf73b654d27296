package provider

import (
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/nginxconf"
)

// placedViolation is a violation with the attribute path it is reported on.
type placedViolation struct {
	engine.Violation
	at path.Path
}

// checkConfig applies the rule to every upstream named in `upstreams`, with nginx's settings
// read from `nginx_config` by the same analysis as nginxkeepalive_config.
func (m *validationModel) checkConfig(base engine.Input, version string, diags *diag.Diagnostics) []placedViolation {
	analysis, err := nginxconf.AnalyzeContent(m.NginxConfig.ValueString(),
		nginxconf.Options{NginxVersion: version, StrictIncludes: m.StrictIncludes.ValueBool()})
	if err != nil {
		diags.AddAttributeError(path.Root("nginx_config"), summaryCannotAnalyseConfig, err.Error())
		return nil
	}
	out := unreadIncludes(analysis)
	unread := len(out)
	attrs, err := objectAttrs(m.Upstreams, engine.Root("upstreams"), "{}")
	if err != nil || attrs == nil {
		diags.AddAttributeError(path.Root("upstreams"), summaryInvalidUpstreams,
			"upstreams must be a map of upstream block name to backends, e.g. { api = [{ type = \"gunicorn\" }] }")
		return nil
	}
	for _, name := range sortedKeys(attrs) {
		at := path.Root("upstreams").AtMapKey(name)
		upstream, ok := analysis.Upstreams[name]
		if !ok {
			detail := fmt.Sprintf("nginx_config has no upstream block %q; it defines: %v", name, sortedKeys(analysis.Upstreams))
			if unread > 0 {
				detail += fmt.Sprintf(" (%d include(s) were not read, see the warnings on nginx_config: the block may be in one of them)", unread)
			}
			diags.AddAttributeError(at, summaryNoSuchUpstream, detail)
			continue
		}
		backends, err := decodeBackends(attrs[name], engine.Root("upstreams").Key(name))
		if err != nil {
			addInputError(diags, err)
			continue
		}
		in := base
		in.Backends = backends
		vs, err := engine.Check(in, nginxFromUpstream(upstream, analysis, version))
		if !addCheckError(diags, err) {
			continue
		}
		where := fmt.Sprintf("upstream %s (nginx_config line %d)", name, upstream.Line)
		for _, v := range vs {
			v.Summary = where + ": " + v.Summary
			out = append(out, placedViolation{Violation: v, at: at})
		}
	}
	return out
}

// unreadIncludes reports the includes skipped unread as warnings on nginx_config: the upstreams
// they may define were not checked. nginx_config is text with no include root, so the fix is
// named here.
func unreadIncludes(a *nginxconf.Analysis) []placedViolation {
	var out []placedViolation
	for _, f := range a.Findings {
		if !f.Unread {
			continue
		}
		out = append(out, placedViolation{at: path.Root("nginx_config"), Violation: engine.Violation{Severity: engine.Warning,
			Summary: fmt.Sprintf("nginx_config line %d: include not read", f.Line),
			Detail: f.Message + ". nginx_config reads no files: inline what the include holds, or analyse the configuration with " +
				"data.nginxkeepalive_config (path and include_root) and pass its upstreams to nginx"}})
	}
	return out
}

// nginxFromUpstream passes only what the file sets, so the engine applies (and names) nginx's
// defaults for the rest.
func nginxFromUpstream(u nginxconf.Upstream, a *nginxconf.Analysis, version string) engine.Nginx {
	ng := engine.Nginx{Version: version}
	for _, f := range nginxSet.fields {
		if f.analysed != nil && slices.Contains(u.Explicit, f.setting) {
			f.set(&ng, f.analysed(&u))
		}
	}
	if a.ClientKeepaliveTimeoutExplicit {
		ng.ClientKeepaliveTimeout = &a.ClientKeepaliveTimeout
	}
	return ng
}
