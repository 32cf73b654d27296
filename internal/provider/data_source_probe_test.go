package provider

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/probe/probetest"
)

// withinMs checks a millisecond attribute lies in [lo, hi].
func withinMs(name, key string, lo, hi int64) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(name, key, func(v string) error {
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return err
		}
		if ms < lo || ms > hi {
			return fmt.Errorf("%s = %d ms, want %d–%d", key, ms, lo, hi)
		}
		return nil
	})
}

func TestAccProbeDataSource_measuresExactServers(t *testing.T) {
	idle := probetest.KeepAlive{IdleClose: 1500 * time.Millisecond, ServerHeader: "exact/1"}.Start(t).Addr
	silent7 := probetest.KeepAlive{CloseAfter: 7, IdleClose: 5 * time.Second}.Start(t).Addr
	announced7 := probetest.KeepAlive{CloseAfter: 7, Announce: true, IdleClose: 5 * time.Second}.Start(t).Addr
	reset := probetest.KeepAlive{IdleClose: 800 * time.Millisecond, Reset: true}.Start(t).Addr
	open := probetest.KeepAlive{}.Start(t).Addr
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sprintf(`
data "nginxkeepalive_probe" "idle" {
  address           = %q
  request_cap_probe = 20
}
data "nginxkeepalive_probe" "silent7" {
  url      = "http://%s/healthz"
  max_wait = "1s"
}
data "nginxkeepalive_probe" "announced7" {
  address  = %q
  method   = "HEAD"
  max_wait = "1s"
}
data "nginxkeepalive_probe" "reset" {
  address           = %q
  samples           = 2
  request_cap_probe = 0
}
data "nginxkeepalive_probe" "open" {
  address           = %q
  max_wait          = "1s"
  request_cap_probe = 30
}
`, idle, silent7, announced7, reset, open),
			Check: resource.ComposeAggregateTestCheckFunc(
				withinMs("data.nginxkeepalive_probe.idle", "idle_timeout_ms", 1400, 2000),
				resource.TestMatchResourceAttr("data.nginxkeepalive_probe.idle", "idle_timeout", regexp.MustCompile(`^1[4-9]\d\dms$|^2000ms$|^2s$`)),
				resource.TestCheckResourceAttr("data.nginxkeepalive_probe.idle", "samples_ms.#", "3"),
				resource.TestCheckResourceAttr("data.nginxkeepalive_probe.silent7", "address", silent7),
				resource.TestCheckNoResourceAttr("data.nginxkeepalive_probe.silent7", "path"),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("close"), knownvalue.StringExact("fin")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("idle_timeout_at_least"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("max_requests_per_connection"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("announces_last"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("requests_probed"), knownvalue.Int64Exact(20)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("server"), knownvalue.StringExact("exact/1")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("http_version"), knownvalue.StringExact("HTTP/1.1")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("method"), knownvalue.StringExact("GET")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("path"), knownvalue.StringExact("/")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.idle", tfjsonpath.New("max_wait"), knownvalue.StringExact("75s")),

				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.silent7", tfjsonpath.New("max_requests_per_connection"), knownvalue.Int64Exact(7)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.silent7", tfjsonpath.New("announces_last"), knownvalue.Bool(false)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.silent7", tfjsonpath.New("requests_probed"), knownvalue.Int64Exact(7)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.silent7", tfjsonpath.New("close"), knownvalue.StringExact("open")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.silent7", tfjsonpath.New("idle_timeout_at_least"), knownvalue.StringExact("1s")),

				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.announced7", tfjsonpath.New("max_requests_per_connection"), knownvalue.Int64Exact(7)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.announced7", tfjsonpath.New("announces_last"), knownvalue.Bool(true)),

				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.reset", tfjsonpath.New("close"), knownvalue.StringExact("rst")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.reset", tfjsonpath.New("samples_ms"), knownvalue.ListSizeExact(2)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.reset", tfjsonpath.New("request_cap_probe"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.reset", tfjsonpath.New("requests_probed"), knownvalue.Null()),

				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.open", tfjsonpath.New("idle_timeout"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.open", tfjsonpath.New("idle_timeout_ms"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.open", tfjsonpath.New("idle_timeout_at_least"), knownvalue.StringExact("1s")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.open", tfjsonpath.New("close"), knownvalue.StringExact("open")),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.open", tfjsonpath.New("samples_ms"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.Null(), knownvalue.Null(), knownvalue.Null()})),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.open", tfjsonpath.New("max_requests_per_connection"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.open", tfjsonpath.New("requests_probed"), knownvalue.Int64Exact(30)),
			},
		}},
	})
}

// Every hostile server ends the read in an error naming the address, within max_wait plus the
// probe's grace (1s + 5s here), never a hang.
func TestAccProbeDataSource_hostileServersFailClearly(t *testing.T) {
	cases := []struct {
		name, addr, want string
	}{
		{"refused", probetest.RefusedAddress(t), `connect:\s+connection\s+refused`},
		{"never answers", probetest.Serve(t, probetest.NeverAnswers).Addr, `ran\s+out\s+of\s+time`},
		{"slow headers", probetest.Serve(t, probetest.DripsHeaders(time.Second)).Addr, `ran\s+out\s+of\s+time`},
		{"endless headers", probetest.Serve(t, probetest.EndlessHeaders).Addr, `headers\s+exceed\s+64\s+KiB`},
		{"not http", probetest.Serve(t, probetest.WritesOnConnect("SSH-2.0-OpenSSH_9.2\r\n")).Addr, `not\s+HTTP/1.x\s+\(it\s+starts\s+"SSH-2.0`},
		{"5xx", probetest.Serve(t, probetest.AnswersWith("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")).Addr, `answered\s+"503\s+Service\s+Unavailable"`},
		{"hangs up", probetest.Serve(t, probetest.ClosesWithoutAnswer).Addr, `closed\s+the\s+connection\s+without\s+answering`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var started time.Time
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig:   func() { started = time.Now() },
					Config:      sprintf("data \"nginxkeepalive_probe\" \"x\" {\n  address  = %q\n  max_wait = \"1s\"\n}\n", c.addr),
					ExpectError: regexp.MustCompile(`(?s)Probe\s+Failed.*probe\s+of\s+` + regexp.QuoteMeta(c.addr) + `.*` + c.want),
				}},
			})
			// The probe's bound is 1s + 5s; one plan by the CLI is on top of it.
			if elapsed := time.Since(started); elapsed > 25*time.Second {
				t.Errorf("%s took %s", c.name, elapsed)
			}
		})
	}
}

func TestAccProbeDataSource_rejectsBadInput(t *testing.T) {
	cases := []struct{ config, want string }{
		{`address = "127.0.0.1:1"
  url = "http://127.0.0.1:1/"`, `(?s)Invalid\s+Attribute\s+Combination.*address.*url`},
		{`url = "ftp://127.0.0.1/"`, `(?s)url\s+"ftp://127.0.0.1/":\s+the\s+scheme\s+must\s+be\s+http\s+or\s+https`},
		{`address = "127.0.0.1"`, `(?s)address\s+"127.0.0.1":\s+give\s+host:port`},
		{`address = "127.0.0.1:70000"`, `port\s+must\s+be\s+a\s+number\s+from\s+1\s+to\s+65535`},
		{`address = "127.0.0.1:1"
  samples = 17`, `(?s)samples.*between\s+1\s+and\s+16`},
		{`address = "127.0.0.1:1"
  max_wait = "11m"`, `(?s)max_wait.*longer\s+than\s+the\s+limit\s+10m`},
		{`address = "127.0.0.1:1"
  request_cap_probe = 10001`, `(?s)request_cap_probe.*between\s+0\s+and\s+10000`},
		{`address = "127.0.0.1:1"
  method = "POST"`, `(?s)method.*value\s+must\s+be\s+one\s+of`},
		{`address = "127.0.0.1:1"
  path = "healthz"`, `path\s+"healthz":\s+the\s+path\s+must\s+start\s+with\s+/`},
		{`address = "127.0.0.1:1"
  headers = { Connection = "close" }`, `(?s)headers\["Connection"\].*manages\s+Connection\s+itself`},
		{`url = "http://127.0.0.1:1/"
  path = "/x"`, `(?s)Invalid\s+Attribute\s+Combination.*path`},
		{`address = "127.0.0.1:1"
  tls = { ca_pem = "not a certificate" }`, `(?s)tls.ca_pem.*no\s+PEM\s+certificate\s+found`},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      "data \"nginxkeepalive_probe\" \"x\" {\n  " + c.config + "\n}\n",
			ExpectError: regexp.MustCompile(c.want),
			PlanOnly:    true,
		})
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories, Steps: steps})
}

// An address known only at apply does not fail the plan: Terraform reads the data source then.
func TestAccProbeDataSource_unknownAddressDefersTheRead(t *testing.T) {
	addr := probetest.KeepAlive{IdleClose: 700 * time.Millisecond}.Start(t).Addr
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sprintf(`
resource "terraform_data" "backend" { input = %q }
data "nginxkeepalive_probe" "x" {
  address           = terraform_data.backend.output
  max_wait          = "3s"
  request_cap_probe = 0
}
`, addr),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.nginxkeepalive_probe.x", tfjsonpath.New("close"), knownvalue.StringExact("fin")),
			},
		}},
	})
}

// Probes in one plan run side by side (Terraform's parallelism): the server sees connections of
// several probes open at once, so ten probes cost about one max_wait, not ten.
func TestAccProbeDataSource_probesRunInParallel(t *testing.T) {
	srv := probetest.KeepAlive{IdleClose: 2 * time.Second}.Start(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: sprintf(`
data "nginxkeepalive_probe" "x" {
  count             = 10
  address           = %q
  samples           = 1
  max_wait          = "5s"
  request_cap_probe = 0
}
`, srv.Addr),
			Check: func(*terraform.State) error {
				if srv.Peak() < 4 {
					return fmt.Errorf("at most %d probe connections were open at once: probes did not overlap", srv.Peak())
				}
				return nil
			},
		}},
	})
}

// Ctrl-C stops a probe at once: the CLI, interrupted while the probe watches a connection that
// never closes (max_wait 5m), exits within seconds and says the probe was cancelled. Run through
// the CLI itself: the testing framework cannot interrupt a plan.
func TestAccProbeDataSource_interruptStopsTheProbe(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make testacc)")
	}
	t.Parallel()
	srv := probetest.KeepAlive{}.Start(t)
	dir := t.TempDir()
	config := sprintf(`terraform {
  required_providers {
    nginxkeepalive = { source = "nginx-keepalive/nginxkeepalive" }
  }
}
data "nginxkeepalive_probe" "never_closes" {
  address  = %q
  max_wait = "5m"
}
`, srv.Addr)
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := cliCommand(t, dir, "plan")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The probe is watching once the server has accepted its samples.
	for deadline := time.Now().Add(time.Minute); srv.Accepted() < 3; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the probe never connected:\n%s", out.String())
		}
	}
	time.Sleep(500 * time.Millisecond) // into the idle wait
	interrupted := time.Now()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	// The exit status does not matter (an interrupted plan fails); how soon it comes does.
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
		t.Fatalf("the CLI was still running 30s after Ctrl-C:\n%s", out.String())
	}
	t.Logf("exited %s after the interrupt", time.Since(interrupted).Round(time.Millisecond))
	if !strings.Contains(out.String(), "cancelled") {
		t.Errorf("want the probe reported as cancelled:\n%s", out.String())
	}
	if d := time.Since(interrupted); d > 10*time.Second {
		t.Errorf("exited %s after Ctrl-C; the probe should stop at once", d)
	}
}
