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
func terraformCLI(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	out, err := exec.Command(filepath.Join(repoRoot(), "scripts", "terraform-cli.sh")).Output()
	if err != nil {
		t.Fatalf("scripts/terraform-cli.sh: %v", err)
	}
	return strings.TrimSpace(string(out))
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

// recommendViaTerraform builds the provider, applies a tiny configuration with the
// nginxkeepalive_recommendation data source through the real CLI (dev_overrides), and returns the
// upstream block it rendered for the backend at upstreamAddr, checked against the engine.
func recommendViaTerraform(t *testing.T, b backendSpec, version, nginxVer, upstreamAddr string) (upstreamSettings, engine.Recommendation) {
	t.Helper()
	tf := terraformCLI(t)
	work := t.TempDir()
	if err := buildProvider(); err != nil {
		t.Fatal(err)
	}
	pluginDir := filepath.Dir(providerPath)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	if err := writeFile(filepath.Join(work, "terraformrc"), fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/nginx-keepalive/nginxkeepalive" = %q
  }
  direct {}
}
`, pluginDir)); err != nil {
		t.Fatal(err)
	}
	if err := writeFile(filepath.Join(work, "main.tf"), fmt.Sprintf(`terraform {
  required_providers {
    nginxkeepalive = { source = "nginx-keepalive/nginxkeepalive" }
  }
}

data "nginxkeepalive_recommendation" "lab" {
  backends      = [{ type = %q, version = %q }]
  nginx_version = %q
  upstream_name = "backend"
  servers       = [%q]
}

output "lab" {
  value = {
    keepalive_enabled    = data.nginxkeepalive_recommendation.lab.keepalive_enabled
    keepalive_timeout    = data.nginxkeepalive_recommendation.lab.keepalive_timeout
    keepalive_timeout_ms = data.nginxkeepalive_recommendation.lab.keepalive_timeout_ms
    keepalive_requests   = data.nginxkeepalive_recommendation.lab.keepalive_requests
    keepalive            = data.nginxkeepalive_recommendation.lab.keepalive
    upstream_config      = data.nginxkeepalive_recommendation.lab.upstream_config
  }
}
`, b.Type, version, nginxVer, upstreamAddr)); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(work, "terraformrc"), "TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1", "TF_DATA_DIR="+filepath.Join(work, ".terraform"))
	run := func(args ...string) []byte {
		cmd := exec.CommandContext(ctx, tf, append([]string{"-chdir=" + work}, args...)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run("apply", "-auto-approve", "-input=false", "-no-color")
	raw := run("output", "-json", "lab")
	var o terraformOutputs
	if err := json.Unmarshal(raw, &o); err != nil {
		t.Fatalf("terraform output -json lab: %v\n%s", err, raw)
	}

	// The whole chain must agree with the engine it wraps.
	rec := recommend(t, b, version, nginxVer)
	if o.KeepaliveEnabled != rec.KeepaliveEnabled || o.KeepaliveTimeoutMS != rec.KeepaliveTimeout.Milliseconds() ||
		o.KeepaliveRequests != rec.KeepaliveRequests {
		t.Errorf("terraform data source and engine disagree: terraform %+v, engine timeout %s requests %d enabled %v",
			o, rec.KeepaliveTimeout, rec.KeepaliveRequests, rec.KeepaliveEnabled)
	}
	if o.KeepaliveEnabled && !strings.Contains(o.UpstreamConfig, "upstream backend") {
		t.Fatalf("upstream_config is not an upstream block named backend:\n%s", o.UpstreamConfig)
	}
	return upstreamSettings{
		Label: "recommended", Block: o.UpstreamConfig, Disabled: !o.KeepaliveEnabled,
		Pool: o.Keepalive, KeepaliveTimeout: time.Duration(o.KeepaliveTimeoutMS) * time.Millisecond,
		KeepaliveRequests: o.KeepaliveRequests,
	}, rec
}
