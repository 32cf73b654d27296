package provider

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe/probetest"
)

// TestAccRecipes runs the recipes in examples/recipes/ through the CLI itself (check blocks,
// variable validations and `terraform test` are CLI behaviour the testing framework cannot
// observe), with the provider built from this tree and installed by a dev_overrides block.
// `make testacc` runs it once on Terraform and once on OpenTofu.
func TestAccRecipes(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc)")
	}

	t.Run("check-block", func(t *testing.T) {
		t.Parallel()
		dir := recipeDir(t, "check-block")

		out := cliRun(t, dir, true, "plan")
		if strings.Contains(out, "Check block assertion failed") {
			t.Fatalf("the default settings must pass the check:\n%s", out)
		}

		out = cliRun(t, dir, true, "plan", `-var=nginx_upstream={keepalive_timeout="75s"}`)
		for _, want := range []string{"Warning: Check block assertion failed", "75s", "gunicorn"} {
			if !strings.Contains(out, want) {
				t.Errorf("a racing timeout must warn (and not fail) with %q in it:\n%s", want, out)
			}
		}
	})

	t.Run("variable-validation", func(t *testing.T) {
		t.Parallel()
		dir := recipeDir(t, "variable-validation")

		cliRun(t, dir, true, "plan")
		out := cliRun(t, dir, false, "plan", `-var=nginx_upstream={keepalive_timeout="75s"}`)
		for _, want := range []string{"Invalid value for variable", "75s", "gunicorn"} {
			if !strings.Contains(out, want) {
				t.Errorf("a racing timeout must fail the plan with %q in it:\n%s", want, out)
			}
		}
	})

	t.Run("terraform-test", func(t *testing.T) {
		t.Parallel()
		dir := recipeDir(t, "terraform-test")

		out := cliRun(t, dir, true, "test")
		if !strings.Contains(out, "2 passed, 0 failed") {
			t.Errorf("want both runs of tests/render.tftest.hcl to pass:\n%s", out)
		}
	})
	t.Run("measure-in-check", func(t *testing.T) {
		t.Parallel()
		dir := recipeDir(t, "measure-in-check")
		staging := probetest.KeepAlive{IdleClose: 3 * time.Second}.Start(t).Addr
		backend := "-var=staging_backend=" + staging

		out := cliRun(t, dir, true, "plan", backend)
		if strings.Contains(out, "Check block assertion failed") || strings.Contains(out, "Probe Failed") {
			t.Errorf("1s is safely below a measured 3s: want no check warning:\n%s", out)
		}

		out = cliRun(t, dir, true, "plan", backend, `-var=nginx_upstream={keepalive_timeout="5s"}`)
		for _, want := range []string{"Warning: Check block assertion failed", "5s", "measured"} {
			if !strings.Contains(out, want) {
				t.Errorf("a timeout above the measured idle close must warn (and not fail) with %q in it:\n%s", want, out)
			}
		}

		out = cliRun(t, dir, true, "plan", "-var=staging_backend="+probetest.RefusedAddress(t))
		for _, want := range []string{"Warning:", "connection refused"} {
			if !strings.Contains(out, want) {
				t.Errorf("an unreachable staging backend must warn (and not fail) with %q in it:\n%s", want, out)
			}
		}
	})
}

// recipeDir copies a recipe into a fresh directory, so no run leaves state in examples/.
func recipeDir(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "examples", "recipes", name))); err != nil {
		t.Fatalf("copying recipe %s: %v", name, err)
	}
	return dir
}

// cliRun runs the acceptance CLI in dir and fails the test unless it exits as wantOK says.
func cliRun(t *testing.T, dir string, wantOK bool, args ...string) string {
	t.Helper()
	cmd := cliCommand(t, dir, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("running %s: %v", cmd, err)
	}
	if (err == nil) != wantOK {
		t.Fatalf("%s in %s: exit error %v, want success %v:\n%s", strings.Join(args, " "), dir, err, wantOK, out.String())
	}
	return out.String()
}

// cliCommand is the acceptance CLI run in dir with the provider built from this tree.
func cliCommand(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(cliPath(t), append([]string{"-chdir=" + dir}, append(args, "-no-color")...)...)
	cmd.Env = append(withoutReattach(os.Environ()),
		"TF_CLI_CONFIG_FILE="+devOverrides(t),
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
	)
	return cmd
}

// cliPath is the CLI the rest of the acceptance suite uses: TF_ACC_TERRAFORM_PATH (make testacc
// sets it), else terraform on PATH, as terraform-plugin-testing resolves it.
func cliPath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal("no CLI: set TF_ACC_TERRAFORM_PATH (make testacc does) or put terraform on PATH")
	}
	return p
}

// withoutReattach drops the reattach variable the in-process acceptance tests set, so the CLI
// starts the built binary named by dev_overrides.
func withoutReattach(env []string) []string {
	kept := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "TF_REATTACH_PROVIDERS=") && !strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") {
			kept = append(kept, kv)
		}
	}
	return kept
}

var builtProvider = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "nka-recipes-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-nginxkeepalive"), "../..")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the provider: %w\n%s", err, out)
	}
	return dir, nil
})

// devOverrides writes a CLI config that points the provider's address on the CLI's registry
// (TF_ACC_PROVIDER_HOST: registry.opentofu.org for OpenTofu) at the binary built from this tree.
func devOverrides(t *testing.T) string {
	t.Helper()
	bin, err := builtProvider()
	if err != nil {
		t.Fatal(err)
	}
	host := os.Getenv("TF_ACC_PROVIDER_HOST")
	if host == "" {
		host = "registry.terraform.io"
	}
	rc := filepath.Join(t.TempDir(), "cli.tfrc")
	body := "provider_installation {\n  dev_overrides {\n    \"" + host + "/nginx-keepalive/nginxkeepalive\" = \"" + bin + "\"\n  }\n  direct {}\n}\n"
	if err := os.WriteFile(rc, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return rc
}
