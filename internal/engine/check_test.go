package engine

import (
	"errors"
	"strings"
	"testing"
)

// A backend that lacks an input does not hide what is already certain: Check returns every
// violation it can prove without the input, together with the request for it.
func TestCheckReportsProvableViolationsWithMissingInputs(t *testing.T) {
	cases := []struct {
		name      string
		backends  []Backend
		ng        Nginx
		violation string // summary start of the violation that must come with the error
		missing   []string
	}{
		// uwsgi's idle timeout (4s) is known, its request cap is not: nginx's 60s is certain to race.
		{"uwsgi without a request cap", []Backend{{Type: "uwsgi"}}, Nginx{}, "nginx outlives uwsgi", []string{"backends[0].max_requests_per_connection"}},
		{"custom with only an idle timeout", []Backend{{Type: "custom", IdleTimeout: dur(5e9)}}, Nginx{Version: "1.22.1", Keepalive: num(8)},
			"nginx outlives custom", []string{"backends[0].max_requests_per_connection"}},
		// custom with only a request cap: the requests rule still applies.
		{"custom with only a request cap", []Backend{{Type: "custom", MaxRequests: num(100)}}, Nginx{},
			"nginx reuses connections more often than custom", []string{"backends[0].idle_timeout"}},
		{"two backends, one complete", []Backend{{Type: "gunicorn"}, {Type: "custom"}}, Nginx{},
			"nginx outlives gunicorn", []string{"backends[1].idle_timeout", "backends[1].max_requests_per_connection"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			vs, err := Check(Input{Backends: c.backends}, c.ng)
			var missing *MissingInputs
			if !errors.As(err, &missing) {
				t.Fatalf("want *MissingInputs, got %v", err)
			}
			var paths []string
			for _, e := range missing.Errors {
				paths = append(paths, e.Path.String())
			}
			if strings.Join(paths, " ") != strings.Join(c.missing, " ") {
				t.Errorf("missing inputs %v, want %v", paths, c.missing)
			}
			var ie *InputError
			if !errors.As(err, &ie) || ie.Path.String() != c.missing[0] {
				t.Errorf("errors.As should find the first input error, got %v", ie)
			}
			found := false
			for _, v := range errorsOf(vs) {
				found = found || strings.HasPrefix(v.Summary, c.violation)
			}
			if !found {
				t.Errorf("want the certain violation %q with the missing inputs, got %+v", c.violation, vs)
			}
		})
	}
}

// Without a pool nothing is reused, so no rule needs the missing inputs and none is asked for;
// other input errors still come alone.
func TestCheckMissingInputsOnlyWhenNeeded(t *testing.T) {
	vs, err := Check(Input{Backends: []Backend{{Type: "custom"}}}, Nginx{Keepalive: num(0)})
	if err != nil || len(vs) != 0 {
		t.Errorf("keepalive 0: want no violation and no error, got %+v, %v", vs, err)
	}
	vs, err = Check(Input{Backends: []Backend{{Type: "gunicron"}}}, Nginx{})
	var missing *MissingInputs
	if err == nil || errors.As(err, &missing) || vs != nil {
		t.Errorf("an unknown type is an error on its own, got %+v, %v", vs, err)
	}
	if _, err := Check(Input{Backends: []Backend{{Type: "uwsgi"}, {Type: "custom"}}}, Nginx{}); err == nil ||
		!strings.Contains(err.Error(), "backends[0].max_requests_per_connection") || !strings.Contains(err.Error(), "backends[1].idle_timeout") {
		t.Errorf("the error text names every missing input: %v", err)
	}
}
