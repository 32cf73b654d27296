package catalog

import "time"

// profiles is the catalogue. Every Defaults entry cites its primary source; a value without
// one is Unknown and must come from the user. Measured values come from the lab
// (internal/lab) on Debian's packaged servers.
var profiles = []Profile{
	{
		Type: "gunicorn", Name: "gunicorn (gthread, gevent, eventlet and ASGI workers)",
		VersionOf: "gunicorn release",
		Knobs:     Knobs{IdleTimeout: "--keep-alive (seconds)", MaxRequests: "--max-requests (per worker, not per connection)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(2), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			ObservedIdleClose: 2500 * time.Millisecond,
			Source:            "benoitc/gunicorn gunicorn/config.py @65ac1a3a L890-909 (keepalive default 2)",
			Notes:             "The sync worker has no keep-alive: use type gunicorn-sync. The keep-alive check runs about once a second, so real closes land 2-3 s after the last response.",
		}},
	},
	{
		Type: "tomcat", Name: "Apache Tomcat (standalone, shipped server.xml)", VersionOf: "Tomcat release",
		Knobs: Knobs{IdleTimeout: "Connector keepAliveTimeout (ms; defaults to connectionTimeout)", MaxRequests: "Connector maxKeepAliveRequests"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(20), MaxRequests: Requests(100), MaxConnectionAge: NoAgeLimit,
			Source: "apache/tomcat conf/server.xml @10.1.x L71 (connectionTimeout=\"20000\"); java/org/apache/tomcat/util/net/AbstractEndpoint.java @10.1.x L1059-1070, L1336",
		}},
	},
	{
		Type: "custom", Name: "custom backend (all limits from the user)", Custom: true,
		Knobs: Knobs{IdleTimeout: "the server's idle keep-alive timeout", MaxRequests: "the server's requests-per-connection cap", MaxConnectionAge: "the server's maximum connection age"},
	},
}
