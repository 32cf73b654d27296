//go:build lab

package lab

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/engine"
)

// terraformCLI is the CLI `make e2e` chose (TF_ACC_TERRAFORM_PATH), else scripts/terraform-cli.sh's.
func terraformCLI() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p, nil
	}
	out, err := exec.Command(filepath.Join(repoRoot(), "scripts", "terraform-cli.sh")).Output()
	if err != nil {
		return "", fmt.Errorf("scripts/terraform-cli.sh: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

func repoRoot() string { return filepath.Join("..", "..") }

var (
	providerOnce sync.Once
	providerPath string
	providerErr  error
)

// buildProvider builds the provider from this checkout once per test binary.
func buildProvider() error {
	providerOnce.Do(func() {
		dir, err := os.MkdirTemp("", "nka-lab-provider-")
		if err != nil {
			providerErr = err
			return
		}
		providerPath = filepath.Join(dir, "terraform-provider-nginxkeepalive")
		build := exec.Command(goBinary(), "build", "-o", providerPath, ".")
		build.Dir = repoRoot()
		if out, err := build.CombinedOutput(); err != nil {
			providerErr = fmt.Errorf("go build of the provider: %w\n%s", err, out)
		}
	})
	return providerErr
}

// terraformOutputs is what the lab reads from the data source.
type terraformOutputs struct {
	KeepaliveEnabled   bool   `json:"keepalive_enabled"`
	KeepaliveTimeoutMS int64  `json:"keepalive_timeout_ms"`
	KeepaliveTimeout   string `json:"keepalive_timeout"`
	KeepaliveRequests  int64  `json:"keepalive_requests"`
	Keepalive          int64  `json:"keepalive"`
	UpstreamConfig     string `json:"upstream_config"`
}

// requireProvider opens every configuration the lab applies.
const requireProvider = `terraform {
  required_providers {
    nginxkeepalive = { source = "nginx-keepalive/nginxkeepalive" }
  }
}
`

// applyTerraform applies body (after requireProvider) through the real CLI with the provider
// built from this checkout (dev_overrides, so no init) in the empty directory work, and returns
// every output's value as JSON by name. It returns errors rather than failing the test, so that it
// can run beside a measurement.
func applyTerraform(ctx context.Context, work, body string) (map[string]json.RawMessage, error) {
	tf, err := terraformCLI()
	if err != nil {
		return nil, err
	}
	if err := buildProvider(); err != nil {
		return nil, err
	}
	rc := filepath.Join(work, "terraformrc")
	if err := writeFile(rc, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/nginx-keepalive/nginxkeepalive" = %q
  }
  direct {}
}
`, filepath.Dir(providerPath))); err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(work, "main.tf"), requireProvider+body); err != nil {
		return nil, err
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1", "TF_DATA_DIR="+filepath.Join(work, ".terraform"))
	run := func(args ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, tf, append([]string{"-chdir=" + work}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			return nil, fmt.Errorf("terraform %s: %w\n%s", strings.Join(args, " "), err, out)
		}
		return out, nil
	}
	if _, err := run("apply", "-auto-approve", "-input=false", "-no-color"); err != nil {
		return nil, err
	}
	raw, err := run("output", "-json")
	if err != nil {
		return nil, err
	}
	var outs map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(raw, &outs); err != nil {
		return nil, fmt.Errorf("terraform output -json: %w\n%s", err, raw)
	}
	values := make(map[string]json.RawMessage, len(outs))
	for name, o := range outs {
		values[name] = o.Value
	}
	return values, nil
}

// recommendationOutput is an output named name with what the lab reads from the
// nginxkeepalive_recommendation data source named ds.
func recommendationOutput(name, ds string) string {
	return strings.ReplaceAll(`output "`+name+`" {
  value = {
    keepalive_enabled    = data.nginxkeepalive_recommendation.DS.keepalive_enabled
    keepalive_timeout    = data.nginxkeepalive_recommendation.DS.keepalive_timeout
    keepalive_timeout_ms = data.nginxkeepalive_recommendation.DS.keepalive_timeout_ms
    keepalive_requests   = data.nginxkeepalive_recommendation.DS.keepalive_requests
    keepalive            = data.nginxkeepalive_recommendation.DS.keepalive
    upstream_config      = data.nginxkeepalive_recommendation.DS.upstream_config
  }
}
`, "DS", ds)
}

// settings are the rendered recommendation as the lab's nginx runs it: upstream_config verbatim.
func (o terraformOutputs) settings() upstreamSettings {
	return upstreamSettings{
		Label: "recommended", Block: o.UpstreamConfig, Disabled: !o.KeepaliveEnabled,
		Pool: o.Keepalive, KeepaliveTimeout: time.Duration(o.KeepaliveTimeoutMS) * time.Millisecond,
		KeepaliveRequests: o.KeepaliveRequests,
	}
}

// recommendViaTerraform applies a tiny configuration with the nginxkeepalive_recommendation data
// source through the real CLI and returns the upstream block it rendered for the backend at
// upstreamAddr, checked against the engine.
func recommendViaTerraform(t *testing.T, b backendSpec, version, nginxVer, upstreamAddr string) (upstreamSettings, engine.Recommendation) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	outs, err := applyTerraform(ctx, t.TempDir(), fmt.Sprintf(`
data "nginxkeepalive_recommendation" "lab" {
  backends      = [{ type = %q, version = %q }]
  nginx_version = %q
  upstream_name = "backend"
  servers       = [%q]
}
`, b.Type, version, nginxVer, upstreamAddr)+recommendationOutput("lab", "lab"))
	if err != nil {
		t.Fatal(err)
	}
	var o terraformOutputs
	if err := json.Unmarshal(outs["lab"], &o); err != nil {
		t.Fatalf("output lab: %v\n%s", err, outs["lab"])
	}

	// The whole chain must agree with the engine it wraps.
	rec := recommend(t, b, version, nginxVer)
	if o.KeepaliveEnabled != rec.KeepaliveEnabled || o.KeepaliveTimeoutMS != rec.KeepaliveTimeout.Milliseconds() ||
		o.KeepaliveRequests != rec.KeepaliveRequests {
		t.Errorf("terraform data source and engine disagree: terraform %+v, engine timeout %s requests %d enabled %v",
			o, rec.KeepaliveTimeout, rec.KeepaliveRequests, rec.KeepaliveEnabled)
	}
	if err := o.check(); err != nil {
		t.Fatal(err)
	}
	return o.settings(), rec
}

// check: an enabled recommendation renders an upstream block named backend, which the lab's
// nginx runs verbatim.
func (o terraformOutputs) check() error {
	if o.KeepaliveEnabled && !strings.Contains(o.UpstreamConfig, "upstream backend") {
		return fmt.Errorf("upstream_config is not an upstream block named backend:\n%s", o.UpstreamConfig)
	}
	return nil
}
