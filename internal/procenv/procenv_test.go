package procenv

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestQuietSDKLogsOnlyWhenNoLogsWereAskedFor(t *testing.T) {
	for _, name := range []string{"TF_LOG", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		t.Setenv(name, "")
		_ = os.Unsetenv(name)
	}
	quietSDKLogs()
	if got := os.Getenv("TF_LOG_SDK_PROTO"); got != "OFF" {
		t.Fatalf("without TF_LOG*, TF_LOG_SDK_PROTO = %q, want OFF", got)
	}

	_ = os.Unsetenv("TF_LOG_SDK_PROTO")
	t.Setenv("TF_LOG", "DEBUG")
	quietSDKLogs()
	if got, set := os.LookupEnv("TF_LOG_SDK_PROTO"); set {
		t.Fatalf("with TF_LOG=DEBUG the SDK logs must stay on, got TF_LOG_SDK_PROTO=%q", got)
	}
}

func TestCollectLessOftenRespectsGOGC(t *testing.T) {
	previous := debug.SetGCPercent(100)
	defer debug.SetGCPercent(previous)

	t.Setenv("GOGC", "")
	_ = os.Unsetenv("GOGC")
	collectLessOften()
	if got := debug.SetGCPercent(100); got != 200 {
		t.Fatalf("without GOGC the provider collects at %d%%, want 200%%", got)
	}

	t.Setenv("GOGC", "50")
	collectLessOften()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("an explicit GOGC must win, but the percentage changed to %d", got)
	}
}
