package nginxver

import (
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]Version{"1.22.1": {1, 22, 1}, "1.30": {1, 30, 0}, "": {1, 30, 4}, " 1.19.10 ": {1, 19, 10}} {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"1", "a.b", "1.2.3.4", "-1.2", "1.22.x", "0.0.0", "10.1"} {
		if _, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) should fail", in)
		}
	}
}

func TestDefaultsFollowReleases(t *testing.T) {
	old := DefaultsFor(Version{1, 18, 0})
	if old.UpstreamKeepaliveRequests != 100 || old.SupportsKeepaliveTime || old.UpstreamKeepaliveTime != 0 {
		t.Errorf("1.18: %+v", old)
	}
	debian := DefaultsFor(Version{1, 22, 1})
	if debian.UpstreamKeepaliveRequests != 1000 || debian.UpstreamKeepaliveTime != time.Hour ||
		debian.UpstreamKeepalivePool != 0 || !debian.NeedsProxyHeaders || debian.ProxyHTTPVersion != "1.0" {
		t.Errorf("1.22.1: %+v", debian)
	}
	last := DefaultsFor(Version{1, 29, 6})
	if last.UpstreamKeepalivePool != 0 || !last.NeedsProxyHeaders || last.LocalPoolByDefault || last.KeepaliveOnByDefault {
		t.Errorf("1.29.6: %+v", last)
	}
	for _, v := range []Version{{1, 29, 7}, {1, 30, 4}, {1, 31, 4}} {
		recent := DefaultsFor(v)
		if recent.UpstreamKeepalivePool != 32 || recent.NeedsProxyHeaders || recent.ProxyHTTPVersion != "1.1" ||
			!recent.LocalPoolByDefault || !recent.KeepaliveOnByDefault {
			t.Errorf("%v: %+v", v, recent)
		}
	}
	if DefaultsFor(Version{1, 15, 2}).SupportsUpstreamTimeouts || !DefaultsFor(Version{1, 15, 3}).SupportsUpstreamTimeouts {
		t.Error("upstream keepalive_timeout appeared in 1.15.3")
	}
	for _, v := range []Version{{1, 14, 0}, {1, 22, 1}, {1, 30, 4}, {1, 31, 4}} {
		if DefaultsFor(v).UpstreamKeepaliveTimeout != 60*time.Second {
			t.Errorf("%v: upstream keepalive_timeout default is 60s", v)
		}
	}
}

func TestDefaultVersionIsAStableRelease(t *testing.T) {
	v, err := Parse(DefaultVersion)
	if err != nil {
		t.Fatal(err)
	}
	// nginx's stable lines have an even minor version; the default must also get 1.29.7's defaults.
	if v.Minor%2 != 0 || !v.AtLeast(KeepaliveByDefault) {
		t.Errorf("DefaultVersion %s: want a stable (even minor) release >= %s", v, KeepaliveByDefault)
	}
}
