package catalog

import "time"

// profiles is the catalogue. Every Defaults entry cites its primary source; a value without
// one is Unknown and must come from the user. Measured values (ObservedIdleClose,
// ObservedStillOpen) come from raw-socket probes of Debian's packaged servers.
//
// Conventions: where a server's effective default depends on a shipped config file (Tomcat's
// server.xml, nginx's nginx.conf), the shorter of the shipped and the compiled-in value is
// used, because the rule must hold for the common install. Version ranges are ordered oldest
// first; MinVersion is inclusive, MaxVersion exclusive.
var profiles = []Profile{
	// --- Java -----------------------------------------------------------------------------
	{
		Type: "tomcat", Name: "Apache Tomcat (standalone, shipped server.xml)", VersionOf: "Tomcat release",
		Knobs: tomcatKnobs,
		Defaults: []Defaults{{
			MinVersion:         "8.5",
			KeepAliveSupported: true, IdleTimeout: Seconds(20), MaxRequests: Requests(100), MaxConnectionAge: NoAgeLimit,
			Source: "apache/tomcat conf/server.xml @10.1.x L71 (connectionTimeout=\"20000\"); " +
				"java/org/apache/tomcat/util/net/AbstractEndpoint.java @10.1.x L1059-1070 (keepAliveTimeout defaults to connectionTimeout), L1336 (maxKeepAliveRequests 100)",
			Notes: "Same defaults in 8.5, 9.0, 10.1 and 11.0. The shipped server.xml sets connectionTimeout=20000, and keepAliveTimeout " +
				"falls back to it; without that line (embedded Tomcat) the idle timeout is 60 s: use tomcat-embedded. " +
				"Tomcat sends Connection: close on the 100th response of a connection.",
		}},
	},
	{
		Type: "tomcat-embedded", Name: "Apache Tomcat (embedded, or a Connector without connectionTimeout)", VersionOf: "Tomcat release",
		Knobs: tomcatKnobs,
		Defaults: []Defaults{{
			MinVersion:         "8.5",
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: Requests(100), MaxConnectionAge: NoAgeLimit,
			Source: "apache/tomcat java/org/apache/coyote/http11/Constants.java @11.0.x L28-29 (DEFAULT_CONNECTION_TIMEOUT = 60000); " +
				"java/org/apache/tomcat/util/net/AbstractEndpoint.java @11.0.x L1325-1336, L1602",
			Notes: "60 s equals nginx's upstream keepalive_timeout default: equal timeouts still race.",
		}},
	},
	{
		Type: "spring-boot-tomcat", Name: "Spring Boot with embedded Tomcat", VersionOf: "Spring Boot release",
		Knobs: Knobs{
			IdleTimeout: "server.tomcat.keep-alive-timeout (Duration, e.g. 75s; Boot >= 2.5.0, else server.tomcat.connection-timeout)",
			MaxRequests: "server.tomcat.max-keep-alive-requests (count; Boot >= 2.5.0; -1 = unlimited)",
		},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: Requests(100), MaxConnectionAge: NoAgeLimit,
			Source: "spring-projects/spring-boot ServerProperties.java @v3.5.0 L462, L469 (keep-alive-timeout, max-keep-alive-requests); " +
				"TomcatWebServerFactoryCustomizer.java @v3.5.0 L128 (unset values keep Tomcat's 60000 ms)",
			Notes: "Unset properties keep Tomcat's own defaults (connectionTimeout 60000 ms, maxKeepAliveRequests 100). " +
				"In Boot 4.x the properties live in TomcatServerProperties with the same names.",
		}},
	},
	{
		Type: "spring-boot-jetty", Name: "Spring Boot with embedded Jetty", VersionOf: "Spring Boot release",
		Knobs: Knobs{IdleTimeout: "server.jetty.connection-idle-timeout (Duration, e.g. 75s)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(30), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "spring-projects/spring-boot ServerProperties.java @v3.5.0 L1198 (connection-idle-timeout, unset = Jetty default); " +
				"jetty/jetty.project jetty-core/jetty-server/src/main/java/org/eclipse/jetty/server/AbstractConnector.java @12.0.x L154 (_idleTimeout = 30000)",
			Notes: "Jetty has no per-connection request cap (only HttpConfiguration.persistentConnectionsEnabled).",
		}},
	},
	{
		Type: "spring-boot-undertow", Name: "Spring Boot with embedded Undertow", VersionOf: "Spring Boot release",
		Knobs: Knobs{IdleTimeout: "server.undertow.no-request-timeout (Duration, e.g. 75s)"},
		Defaults: []Defaults{{
			MaxVersion:         "4",
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "spring-projects/spring-boot ServerProperties.java @v3.5.0 L1660-1665; " +
				"UndertowWebServerFactoryDelegate.java @v3.5.0 L152 (Undertow.builder()); undertow-io/undertow core/src/main/java/io/undertow/Undertow.java L147-148 (NO_REQUEST_TIMEOUT 60000)",
			Notes: "Spring Boot 4.x has no Undertow module. Undertow has no per-connection request cap " +
				"(UndertowOptions only has MAX_CONCURRENT_REQUESTS_PER_CONNECTION for HTTP/2 concurrency).",
		}},
	},
	{
		Type: "spring-boot-netty", Name: "Spring Boot WebFlux with Reactor Netty", VersionOf: "Spring Boot release",
		Knobs: Knobs{
			IdleTimeout: "server.netty.idle-timeout (Duration; unset = infinite)",
			MaxRequests: "server.netty.max-keep-alive-requests (count; unset = unlimited)",
		},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: NoIdleLimit, MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "spring-projects/spring-boot NettyServerProperties.java @4.x L77-91 (idle-timeout: infinite when not specified; max-keep-alive-requests: unlimited by default)",
			Notes: "\"When not specified, an infinite timeout is used\": nginx's own timeout always closes first. " +
				"Idle connections stay open until nginx closes them.",
		}},
	},
	{
		Type: "jetty", Name: "Eclipse Jetty (ServerConnector / distribution)", VersionOf: "Jetty release",
		Knobs: Knobs{IdleTimeout: "ServerConnector idleTimeout / jetty.http.idleTimeout (ms)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(30), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "jetty/jetty.project jetty-server/src/main/java/org/eclipse/jetty/server/AbstractConnector.java @jetty-9.4.x L161 (_idleTimeout = 30000); " +
				"jetty-core/jetty-server/.../AbstractConnector.java @12.0.x L154; jetty-home http.mod (jetty.http.idleTimeout=30000)",
			Notes: "The connector idle timeout also covers idleness inside a request. No per-connection request cap in 9.4 to 12.1 " +
				"(branches read 2024-10; only persistentConnectionsEnabled).",
		}},
	},
	{
		Type: "undertow", Name: "Undertow (Undertow.builder())", VersionOf: "Undertow release",
		Knobs: Knobs{IdleTimeout: "UndertowOptions.NO_REQUEST_TIMEOUT (ms)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "undertow-io/undertow core/src/main/java/io/undertow/Undertow.java @c8299de0 L147-148 (NO_REQUEST_TIMEOUT 60000, commit a34808b87 UNDERTOW-790); " +
				"core/src/main/java/io/undertow/UndertowOptions.java @017b15fd (no requests-per-connection option)",
			Notes: "A raw listener built without Undertow.builder() has no idle timeout (HttpReadListener: NO_REQUEST_TIMEOUT -1). " +
				"60 s equals nginx's upstream default: equal timeouts still race.",
		}},
	},
	{
		Type: "wildfly", Name: "WildFly (Undertow subsystem http-listener)", VersionOf: "WildFly release",
		Knobs: Knobs{IdleTimeout: "http-listener no-request-timeout (ms)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "wildfly/wildfly undertow/src/main/java/org/wildfly/extension/undertow/ListenerResourceDefinition.java (NO_REQUEST_TIMEOUT setDefaultValue 60000)",
			Notes:  "60 s equals nginx's upstream default: equal timeouts still race. read-timeout/write-timeout (90 s) are I/O timeouts, not idle limits.",
		}},
	},
	{
		Type: "reactor-netty", Name: "Reactor Netty HttpServer", VersionOf: "Reactor Netty release",
		Knobs: Knobs{IdleTimeout: "HttpServer.idleTimeout(Duration)", MaxRequests: "HttpServer.maxKeepAliveRequests(int) (-1 = unlimited; >= 1.0.13)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: NoIdleLimit, MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "reactor/reactor-netty reactor-netty-http/src/main/java/reactor/netty/http/server/HttpServer.java @v1.3.6 L675-691 (no idleTimeout by default), L708-730 (maxKeepAliveRequests -1)",
		}},
	},
	{
		Type: "vertx", Name: "Eclipse Vert.x HttpServer", VersionOf: "Vert.x release",
		Knobs: Knobs{IdleTimeout: "HttpServerOptions.setIdleTimeout (unit from setIdleTimeoutUnit, default seconds)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: NoIdleLimit, MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "eclipse-vertx/vert.x src/main/java/io/vertx/core/net/TCPSSLOptions.java (DEFAULT_IDLE_TIMEOUT = 0, DEFAULT_IDLE_TIMEOUT_TIME_UNIT = SECONDS); " +
				"vertx-core/src/main/java/io/vertx/core/http/HttpServerOptions.java @0251eb4d (its fields hold no requests-per-connection limit)",
			Notes: "No idle timeout by default: idle connections stay open until nginx closes them. No per-connection request cap.",
		}},
	},
	{
		Type: "akka-http", Name: "Akka HTTP server", VersionOf: "Akka HTTP release",
		Knobs: Knobs{IdleTimeout: "akka.http.server.idle-timeout (HOCON duration; \"infinite\" disables)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "akka/akka-http akka-http-core/src/main/resources/reference.conf (server.idle-timeout = 60 s)",
			Notes:  "idle-timeout also covers in-flight requests; keep request-timeout (20 s) below it. pipelining-limit is not a per-connection cap.",
		}},
	},
	{
		Type: "pekko-http", Name: "Apache Pekko HTTP server", VersionOf: "Pekko HTTP release",
		Knobs: Knobs{IdleTimeout: "pekko.http.server.idle-timeout (HOCON duration; \"infinite\" disables)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "apache/pekko-http http-core/src/main/resources/reference.conf @de0c3e19 L48 (server.idle-timeout = 60 s)",
			Notes:  "idle-timeout also covers in-flight requests; keep request-timeout (20 s) below it.",
		}},
	},

	// --- Python ---------------------------------------------------------------------------
	{
		Type: "gunicorn", Name: "gunicorn (gthread, gevent, eventlet and ASGI workers)", VersionOf: "gunicorn release",
		Knobs: Knobs{IdleTimeout: "--keep-alive / keepalive (seconds)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(2), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			// The gthread worker sweeps idle connections about once a second: the lab measured 2.0-2.9 s.
			ObservedIdleClose: 3 * time.Second,
			Source:            "benoitc/gunicorn gunicorn/config.py @65ac1a3a L890-909 (keepalive default 2; unchanged since 19.0)",
			Notes: "The sync worker has no keep-alive: use type gunicorn-sync. gthread checks idle connections about once a second, " +
				"so real closes land 2-3 s after the last response. --max-requests restarts a worker (closing its idle connections); " +
				"it is not a per-connection cap.",
		}},
	},
	{
		Type: "gunicorn-sync", Name: "gunicorn with the sync worker (default worker class)", VersionOf: "gunicorn release",
		Knobs: Knobs{},
		Defaults: []Defaults{noKeepAlive(
			"benoitc/gunicorn gunicorn/workers/sync.py @65ac1a3a L176-179 (resp.force_close())",
			"The sync worker closes the connection after every response: upstream keep-alive to it is useless (harmless).")},
	},
	{
		Type: "gunicorn-uvicorn-worker", Name: "gunicorn with uvicorn's UvicornWorker", VersionOf: "uvicorn release",
		Knobs: Knobs{IdleTimeout: "gunicorn --keep-alive (seconds; passed to uvicorn's timeout_keep_alive)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(2), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "encode/uvicorn uvicorn/workers.py @e6c7ce79 L48 (timeout_keep_alive = self.cfg.keepalive); benoitc/gunicorn gunicorn/config.py @65ac1a3a L890-909",
			Notes:  "Under gunicorn, uvicorn idles out at gunicorn's 2 s, not uvicorn's own 5 s. uvicorn.workers is deprecated in favour of the uvicorn-worker package (same mapping).",
		}},
	},
	{
		Type: "uvicorn", Name: "Uvicorn (standalone)", VersionOf: "uvicorn release",
		Knobs: Knobs{IdleTimeout: "--timeout-keep-alive / timeout_keep_alive (seconds)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "encode/uvicorn uvicorn/config.py @e6c7ce79 L214; uvicorn/main.py L276-281 (timeout_keep_alive 5)",
			Notes:  "5 s since at least 0.4.0. limit_max_requests restarts the process; it is not a per-connection cap. Under gunicorn use gunicorn-uvicorn-worker (2 s).",
		}},
	},
	{
		Type: "hypercorn", Name: "Hypercorn", VersionOf: "Hypercorn release",
		Knobs: Knobs{IdleTimeout: "--keep-alive / keep_alive_timeout (seconds)", MaxRequests: "keep_alive_max_requests (count; >= 0.16.0)"},
		Defaults: []Defaults{
			{
				MaxVersion:         "0.13.0",
				KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "pgjones/hypercorn src/hypercorn/config.py (keep_alive_timeout = 5 * SECONDS); CHANGELOG.rst 0.3.0 (keep alive timeout exists)",
				Notes: "keep_alive_timeout (5 s) exists since the early releases. These versions were not measured; the documented, " +
					"shorter value is used. keep_alive_max_requests does not exist before 0.16.0.",
			},
			{
				MinVersion: "0.13.0", MaxVersion: "0.14.0",
				KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				ObservedStillOpen: 200 * time.Second,
				Source: "Debian python3-hypercorn 0.13.2 hypercorn/config.py L80 (keep_alive_timeout = 5 * SECONDS), " +
					"hypercorn/asyncio/tcp_server.py L137-156; pgjones/hypercorn#68 (after upgrading from 0.13.2 to 0.14.0 idle connections started to be closed; the fix release is inferred from it)",
				Notes: "With the default asyncio worker an idle keep-alive connection is never closed after its first request: " +
					"_stop_keep_alive_timeout cancels the timer but never clears the handle, so _start_keep_alive_timeout does not re-arm it " +
					"(0.13.2 measured open after 200 s). The trio worker clears the handle and does close at 5 s, so 5 s stays the safe value.",
			},
			{
				MinVersion: "0.14.0", MaxVersion: "0.16.0",
				KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "pgjones/hypercorn src/hypercorn/config.py (keep_alive_timeout = 5 * SECONDS); CHANGELOG.rst 0.16.0 (max keep alive requests added)",
				Notes:  "No per-connection request cap before 0.16.0.",
			},
			{
				MinVersion:         "0.16.0",
				KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: Requests(1000), MaxConnectionAge: NoAgeLimit,
				Source: "pgjones/hypercorn src/hypercorn/config.py @0e2311f1 L88-89 (keep_alive_timeout 5, keep_alive_max_requests 1000); docs/how_to_guides/configuring.rst L125-128",
				Notes:  "At the cap HTTP/1 responses carry connection: close (protocol/h11.py L125-126).",
			},
		},
	},
	{
		Type: "daphne", Name: "Daphne (Django Channels)", VersionOf: "Daphne release",
		Knobs: Knobs{}, // Daphne exposes no keep-alive setting
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "django/daphne daphne/http_protocol.py @c19f2f43 L392-393 (HTTPFactory.__init__ without timeout); twisted/twisted src/twisted/web/http.py @64661601 L218 (_REQUEST_TIMEOUT = 60)",
			Notes:  "Derived from Twisted's HTTPFactory default; Daphne's http_timeout is a per-request limit. 60 s equals nginx's upstream default: equal timeouts still race.",
		}},
	},
	{
		Type: "twisted", Name: "Twisted Web (HTTPFactory / twistd web)", VersionOf: "Twisted release",
		Knobs: Knobs{IdleTimeout: "HTTPFactory(timeout=...) (seconds)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "twisted/twisted src/twisted/web/http.py @64661601 L218 (_REQUEST_TIMEOUT = 1 * 60), L3310-3315",
		}},
	},
	{
		Type: "waitress", Name: "Waitress", VersionOf: "Waitress release",
		Knobs: Knobs{IdleTimeout: "channel_timeout (seconds; enforced every cleanup_interval seconds)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(120), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			ObservedIdleClose: 146 * time.Second,
			Source:            "Pylons/waitress src/waitress/adjustments.py @4a378915 L254 (channel_timeout 120); docs/arguments.rst L266-271; src/waitress/server.py L266-267, L342-351 (cleanup_interval 30 sweep)",
			Notes:             "An idle connection is closed by a sweep every cleanup_interval (30 s), so the real close lands 120-150 s after the last response (2.1.2 measured 146 s).",
		}},
	},
	{
		Type: "aiohttp", Name: "aiohttp web server (web.run_app)", VersionOf: "aiohttp release",
		Knobs: Knobs{IdleTimeout: "keepalive_timeout (seconds; argument of web.run_app / AppRunner)"},
		Defaults: []Defaults{
			{
				MaxVersion:         "3.11",
				KeepAliveSupported: true, IdleTimeout: Seconds(75), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				ObservedIdleClose: 75100 * time.Millisecond,
				Source:            "aio-libs/aiohttp aiohttp/web.py (run_app keepalive_timeout: float = 75.0); aiohttp/web_protocol.py (RequestHandler keepalive_timeout 75.0 before 3.11)",
				Notes: "web.run_app and AppRunner/web.Server both default to 75 s before 3.11 (3.8.4 run_app measured 75.1 s). " +
					"Under gunicorn's GunicornWebWorker the idle timeout is gunicorn's --keep-alive (2 s).",
			},
			{
				MinVersion:         "3.11",
				KeepAliveSupported: true, IdleTimeout: Seconds(75), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "aio-libs/aiohttp aiohttp/web.py @495e7783 L435 (run_app keepalive_timeout: float = 75.0); aiohttp/web_protocol.py @495e7783 L210 (RequestHandler 3630.0, #9285)",
				Notes: "web.run_app still defaults to 75 s (the docs say 3630, the code wins). AppRunner/web.Server used directly default to 3630 s " +
					"since 3.11.0: declare idle_timeout = \"3630s\" for those. Under gunicorn's GunicornWebWorker it is gunicorn's --keep-alive (2 s).",
			},
		},
	},
	{
		Type: "uwsgi", Name: "uWSGI with --http11-socket", VersionOf: "uWSGI release",
		Knobs: Knobs{IdleTimeout: "--socket-timeout (seconds)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(4), MaxRequests: UnknownRequests, MaxConnectionAge: NoAgeLimit,
			Source: "unbit/uwsgi core/init.c @6cbb2177 L137 (socket_timeout 4); uwsgi.h L449; core/uwsgi.c L27 (http11-socket)",
			Notes: "With --http (the HTTP router) keep-alive is off unless --http-keepalive is set: use type uwsgi-http. " +
				"uwsgi_pass speaks the uwsgi protocol, which has no keep-alive. A per-connection request cap is not confirmed either way: " +
				"give max_requests_per_connection (0 = unlimited).",
		}},
	},
	{
		Type: "uwsgi-http", Name: "uWSGI behind its --http router", VersionOf: "uWSGI release",
		Knobs: Knobs{IdleTimeout: "--http-keepalive=N (seconds)"},
		Defaults: []Defaults{noKeepAlive(
			"unbit/uwsgi plugins/http/http.c @6cbb2177 L35-37, L1017-1018 (http-keepalive off by default)",
			"Keep-alive is off by default; with --http-keepalive=N the router idles out after N seconds, with a bare --http-keepalive after --http-timeout (60 s). "+
				"Declare idle_timeout when you enable it.")},
	},
	{
		Type: "python-http-server", Name: "Python http.server (BaseHTTPRequestHandler)", VersionOf: "Python release",
		Knobs: Knobs{},
		Defaults: []Defaults{noKeepAlive(
			"python/cpython Lib/http/server.py (BaseHTTPRequestHandler.protocol_version = \"HTTP/1.0\")",
			"HTTP/1.0 by default: every response closes the connection. With protocol_version HTTP/1.1 the idle wait is the handler's timeout (None = forever).")},
	},

	// --- JavaScript -----------------------------------------------------------------------
	{
		Type: "node", Name: "Node.js http/https server", VersionOf: "Node.js major version",
		Knobs: nodeKnobs,
		Defaults: []Defaults{{
			MinVersion: "8", MaxVersion: "27",
			KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			ObservedIdleClose: 6 * time.Second,
			Source:            "https://nodejs.org/docs/latest-v26.x/api/http.html#serverkeepalivetimeout (Default: 5000); nodejs/node lib/_http_server.js storeHTTPOptions (keepAliveTimeout = 5_000, maxRequestsPerSocket = 0)",
			Notes: "The socket is destroyed keepAliveTimeout plus a 1 s buffer after the last response (Node 20.20 has HTTP_SERVER_KEEP_ALIVE_TIMEOUT_BUFFER = 1000 " +
				"and measured 6.0 s; 22.19+/24.6+ expose it as keepAliveTimeoutBuffer); the rule uses the advertised 5 s. Node's main branch raises the default " +
				"to 65 s (nodejs/node#62782), expected in Node.js 27 (scheduled for April 2027): until it ships, versions from 27 on resolve to the safe 5 s; give idle_timeout for a server whose timeout you know. Behind a load balancer keep headersTimeout above keepAliveTimeout (nodejs/node#27363).",
		}},
	},
	{
		Type: "express", Name: "Express (app.listen on Node.js http)", VersionOf: "Node.js major version",
		Knobs: Knobs{
			IdleTimeout: "server.keepAliveTimeout on the http.Server returned by app.listen() (ms)",
			MaxRequests: "server.maxRequestsPerSocket (count; 0 = unlimited)",
		},
		Defaults: []Defaults{{
			MinVersion: "8", MaxVersion: "27",
			KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			ObservedIdleClose: 6 * time.Second,
			Source:            "expressjs/express lib/application.js (app.listen = http.createServer(this).listen); https://nodejs.org/docs/latest-v26.x/api/http.html#serverkeepalivetimeout",
			Notes:             "Express sets no keep-alive options: Node's defaults apply, so the version is Node's major version.",
		}},
	},
	{
		Type: "fastify", Name: "Fastify", VersionOf: "Fastify major version",
		Knobs: Knobs{IdleTimeout: "keepAliveTimeout server option (ms)", MaxRequests: "maxRequestsPerSocket server option (count; 0 = unlimited)"},
		Defaults: []Defaults{
			{
				MaxVersion:         "4",
				KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "fastify/fastify docs/Server.md @v3.x (keepAliveTimeout default 5000); commit 3feacfb1d (#3304) raised it to 72000 for v4",
				Notes:  "Fastify 3 keeps Node's 5 s.",
			},
			{
				MinVersion:         "4",
				KeepAliveSupported: true, IdleTimeout: Seconds(72), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "fastify/fastify docs/Reference/Server.md @83e69762 L151-162 (keepAliveTimeout 72000); lib/config-validator.js L18-19; commit 3feacfb1d (#3304)",
				Notes:  "Ignored when serverFactory is used (then Node's default applies). Applies to HTTP/1 only.",
			},
		},
	},
	{
		Type: "bun", Name: "Bun.serve", VersionOf: "Bun release",
		Knobs: Knobs{IdleTimeout: "Bun.serve({ idleTimeout }) (seconds)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(10), MaxRequests: UnknownRequests, MaxConnectionAge: NoAgeLimit,
			Source: "https://bun.sh/docs/api/http (idleTimeout default 10 seconds); oven-sh/bun#27479",
			Notes: "Bun's node:http compatibility layer keeps Node's 5 s keepAliveTimeout (oven-sh/bun#31587): use type node for it. " +
				"A per-connection request cap is not confirmed either way: give max_requests_per_connection (0 = unlimited).",
		}},
	},
	{
		Type: "deno", Name: "Deno.serve", VersionOf: "Deno release",
		Knobs: Knobs{}, // Deno.serve has no keep-alive settings
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: UnknownIdle, MaxRequests: UnknownRequests, MaxConnectionAge: NoAgeLimit,
			Source: "denoland/deno#32497 (no way to configure the keep-alive timeout); denoland/deno#34172 (open PR adding keepAliveTimeout)",
			Notes: "Deno's idle keep-alive period is not documented: measure it and give idle_timeout and max_requests_per_connection. " +
				"deno#36657: 2.8.3-2.9.5 answer Connection: close to requests with bodies over about 1 KB.",
		}},
	},

	// --- Ruby -----------------------------------------------------------------------------
	{
		Type: "puma", Name: "Puma", VersionOf: "Puma release",
		Knobs: pumaKnobs, Defaults: pumaDefaults,
	},
	{
		Type: "rails", Name: "Ruby on Rails on Puma (generated config/puma.rb)", VersionOf: "Puma release (Rails keeps Puma's defaults)",
		Knobs: pumaKnobs, Defaults: pumaDefaults,
	},
	{
		Type: "unicorn", Name: "Unicorn", VersionOf: "Unicorn release",
		Knobs: Knobs{},
		Defaults: []Defaults{noKeepAlive(
			"defunkt/unicorn lib/unicorn/http_response.rb (http_response_write: Connection: close)",
			"Every response carries Connection: close: upstream keep-alive to Unicorn is useless (harmless).")},
	},

	// --- PHP ------------------------------------------------------------------------------
	{
		Type: "php-builtin", Name: "PHP built-in web server (php -S)", VersionOf: "PHP release",
		Knobs: Knobs{},
		Defaults: []Defaults{noKeepAlive(
			"php/php-src sapi/cli/php_cli_server.c (append_essential_headers: Connection: close)",
			"Every response closes the connection; php -S is a development server.")},
	},
	{
		Type: "php-fpm", Name: "PHP-FPM (FastCGI with fastcgi_keep_conn on)", VersionOf: "PHP release",
		Knobs: Knobs{}, // no documented FPM setting for kept FastCGI connections
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: UnknownIdle, MaxRequests: UnknownRequests, MaxConnectionAge: NoAgeLimit,
			Source: "https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive (FastCGI needs fastcgi_keep_conn on)",
			Notes: "How long FPM keeps an idle kept FastCGI connection is not confirmed from php-src: give idle_timeout and max_requests_per_connection. " +
				"Each kept connection pins an FPM child, so the pool must stay below pm.max_children.",
		}},
	},

	// --- Go, Rust, .NET -------------------------------------------------------------------
	{
		Type: "go-net-http", Name: "Go net/http Server", VersionOf: "Go release",
		Knobs: Knobs{IdleTimeout: "http.Server.IdleTimeout (time.Duration; falls back to ReadTimeout)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: NoIdleLimit, MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "https://pkg.go.dev/net/http#Server (IdleTimeout: if zero, ReadTimeout is used; if both are zero, there is no timeout); golang/go CL 178337",
			Notes:  "A zero-value Server (http.ListenAndServe) never closes idle connections. A short ReadTimeout silently becomes the idle timeout: declare idle_timeout when you set either.",
		}},
	},
	{
		Type: "hyper", Name: "Rust hyper 1.x HTTP/1 server", VersionOf: "hyper release",
		Knobs: Knobs{IdleTimeout: "http1::Builder::header_read_timeout (Duration; needs .timer(...))"},
		Defaults: []Defaults{
			{
				MinVersion: "1.0", MaxVersion: "1.6.0",
				KeepAliveSupported: true, IdleTimeout: NoIdleLimit, MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "hyperium/hyper src/server/conn/http1.rs (no idle timeout option); hyperium/hyper#3828",
				Notes:  "Before 1.6.0 a kept-alive connection can stay idle forever after its first request.",
			},
			{
				MinVersion:         "1.6.0",
				KeepAliveSupported: true, IdleTimeout: Seconds(30), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "hyperium/hyper src/server/conn/http1.rs @8fcaf1a6 L250, L343-355 (header_read_timeout 30 s); src/common/time.rs L70-76; commit 10b09ffc (#3828)",
				Notes: "The 30 s header-read timer starts when a kept-alive connection goes idle, but only if a Timer is set; without one there is no idle limit. " +
					"30 s is used because it is the shorter.",
			},
		},
	},
	{
		Type: "axum", Name: "axum::serve (hyper underneath)", VersionOf: "axum release",
		Knobs: Knobs{IdleTimeout: "hyper http1::Builder::header_read_timeout with a TokioTimer (axum::serve has no setting)"},
		Defaults: []Defaults{
			{
				MaxVersion:         "0.9",
				KeepAliveSupported: true, IdleTimeout: NoIdleLimit, MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "tokio-rs/axum axum/src/serve/mod.rs (0.8.x serve sets no timer)",
				Notes:  "Released axum 0.8.x serve sets no hyper timer: idle connections stay open until nginx closes them.",
			},
			{
				MinVersion:         "0.9",
				KeepAliveSupported: true, IdleTimeout: Seconds(30), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "tokio-rs/axum axum/src/serve/mod.rs L610-614 (TokioTimer); axum/CHANGELOG.md Unreleased (#3478: serve applies hyper's default header_read_timeout)",
				Notes:  "Unreleased when this catalogue was written: the next major applies hyper's 30 s header-read timeout, which also bounds idle keep-alive.",
			},
		},
	},
	{
		Type: "actix-web", Name: "actix-web HttpServer", VersionOf: "actix-web release",
		Knobs: Knobs{IdleTimeout: "HttpServer::keep_alive (KeepAlive::Timeout(Duration) / Os / Disabled)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "actix/actix-web actix-http/src/keep_alive.rs @4dc9f1d3 L44-47 (KeepAlive::Timeout(5s)); actix-web/src/server.rs L163-166",
		}},
	},
	{
		Type: "kestrel", Name: "ASP.NET Core Kestrel", VersionOf: "ASP.NET Core release",
		Knobs: Knobs{IdleTimeout: "KestrelServerLimits.KeepAliveTimeout (TimeSpan; config key Kestrel:Limits:KeepAliveTimeout)"},
		Defaults: []Defaults{
			{
				MaxVersion:         "6",
				KeepAliveSupported: true, IdleTimeout: Seconds(120), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "dotnet/aspnetcore src/Servers/Kestrel/Core/src/KestrelServerLimits.cs @02536ff9 (_keepAliveTimeout = TimeSpan.FromMinutes(2); no per-connection request limit)",
			},
			{
				MinVersion:         "6",
				KeepAliveSupported: true, IdleTimeout: Seconds(130), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "https://learn.microsoft.com/dotnet/api/microsoft.aspnetcore.server.kestrel.core.kestrelserverlimits.keepalivetimeout (Defaults to 130 seconds); dotnet/aspnetcore#32636",
				Notes:  "Raised from 2 min to 130 s in ASP.NET Core 6.0 so it outlives HttpClient's pooled idle timeout.",
			},
		},
	},
	{
		Type: "iis", Name: "Microsoft IIS", VersionOf: "IIS release",
		Knobs: Knobs{IdleTimeout: "system.applicationHost/sites/siteDefaults/limits@connectionTimeout (hh:mm:ss)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(120), MaxRequests: UnknownRequests, MaxConnectionAge: NoAgeLimit,
			Source: "https://learn.microsoft.com/iis/configuration/system.applicationhost/sites/sitedefaults/limits (connectionTimeout default 00:02:00)",
			Notes:  "Whether IIS caps requests per connection is not confirmed: give max_requests_per_connection (0 = unlimited).",
		}},
	},

	// --- Web servers and proxies as backends ----------------------------------------------
	{
		Type: "apache-httpd", Name: "Apache httpd", VersionOf: "httpd release",
		Knobs: Knobs{IdleTimeout: "KeepAliveTimeout (seconds)", MaxRequests: "MaxKeepAliveRequests (count)"},
		Defaults: []Defaults{{
			MinVersion:         "2",
			KeepAliveSupported: true, IdleTimeout: Seconds(5), MaxRequests: Requests(100), MaxConnectionAge: NoAgeLimit,
			Source: "apache/httpd include/httpd.h @trunk (DEFAULT_KEEPALIVE_TIMEOUT 5, DEFAULT_KEEPALIVE 100)",
			Notes:  "MaxKeepAliveRequests counts re-uses: 2.4 sends Connection: close on the 101st response of a connection; the rule uses the documented 100.",
		}},
	},
	{
		Type: "nginx", Name: "nginx as a backend (shipped nginx.conf)", VersionOf: "nginx release",
		Knobs: Knobs{
			IdleTimeout:      "keepalive_timeout (nginx time, http/server/location)",
			MaxRequests:      "keepalive_requests (count)",
			MaxConnectionAge: "keepalive_time (nginx time; >= 1.19.10)",
		},
		Defaults: []Defaults{
			{
				MaxVersion:         "1.19.10",
				KeepAliveSupported: true, IdleTimeout: Seconds(65), MaxRequests: Requests(100), MaxConnectionAge: NoAgeLimit,
				Source: "nginx/nginx conf/nginx.conf L31 (keepalive_timeout 65); https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_requests (100 before 1.19.10)",
				Notes:  "The directive's compiled-in default is 75 s; the shipped nginx.conf (and Debian's) sets 65 s, the shorter, used here. No keepalive_time before 1.19.10.",
			},
			{
				MinVersion:         "1.19.10",
				KeepAliveSupported: true, IdleTimeout: Seconds(65), MaxRequests: Requests(1000), MaxConnectionAge: DurationLimit{Kind: Bounded, Value: time.Hour},
				Source: "nginx/nginx conf/nginx.conf L31 (keepalive_timeout 65); src/http/ngx_http_core_module.c @3f6f782 L3943-3952 (keepalive_timeout 75s, keepalive_requests 1000, keepalive_time 1h)",
				Notes: "The directive's compiled-in default is 75 s; the shipped nginx.conf (and Debian's) sets 65 s, the shorter, used here. " +
					"Before 1.27.4's keepalive_min_timeout an nginx backend may close idle connections early under worker_connections pressure or reload.",
			},
		},
	},
	{
		Type: "caddy", Name: "Caddy", VersionOf: "Caddy release",
		Knobs: Knobs{IdleTimeout: "servers { timeouts { idle <duration> } } / idle_timeout"},
		Defaults: []Defaults{
			{
				MinVersion: "2", MaxVersion: "2.3.0",
				KeepAliveSupported: true, IdleTimeout: NoIdleLimit, MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "caddyserver/caddy commit 1438e4dbc (2020-11-18, first in v2.3.0: adds defaultIdleTimeout); https://pkg.go.dev/net/http#Server",
				Notes:  "Before 2.3.0 Caddy left Go's zero IdleTimeout: no idle limit.",
			},
			{
				MinVersion:         "2.3.0",
				KeepAliveSupported: true, IdleTimeout: Seconds(300), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
				Source: "caddyserver/caddy modules/caddyhttp/app.go @0cf03d32 L891-895 (defaultIdleTimeout = 5 * time.Minute); modules/caddyhttp/server.go L115-118",
			},
		},
	},
	{
		Type: "envoy", Name: "Envoy (HTTP connection manager listener)", VersionOf: "Envoy release",
		Knobs: Knobs{
			IdleTimeout:      "common_http_protocol_options.idle_timeout (Duration)",
			MaxRequests:      "common_http_protocol_options.max_requests_per_connection (count)",
			MaxConnectionAge: "common_http_protocol_options.max_connection_duration (Duration)",
		},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(3600), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "envoyproxy/envoy api/envoy/config/core/v3/protocol.proto (HttpProtocolOptions.idle_timeout: if not specified, 1 hour; max_connection_duration: if not set, no max); " +
				"https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/core/v3/protocol.proto#envoy-v3-api-field-config-core-v3-httpprotocoloptions-max-requests-per-connection (if not specified, no limit)",
		}},
	},
	{
		Type: "haproxy", Name: "HAProxy (frontend)", VersionOf: "HAProxy release",
		Knobs: Knobs{IdleTimeout: "timeout http-keep-alive (ms unless a unit is given; else timeout http-request, else timeout client)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: UnknownIdle, MaxRequests: UnknownRequests, MaxConnectionAge: NoAgeLimit,
			Source: "haproxy/haproxy doc/configuration.txt @50872daa L14764-14838 (timeout http-keep-alive has no built-in value)",
			Notes: "HAProxy has no idle default of its own: the idle limit is timeout http-keep-alive, else timeout http-request, else timeout client from your configuration. " +
				"Give idle_timeout and max_requests_per_connection (0 = unlimited).",
		}},
	},
	{
		Type: "traefik", Name: "Traefik (entryPoint)", VersionOf: "Traefik release",
		Knobs: Knobs{
			IdleTimeout:      "entryPoints.<name>.transport.respondingTimeouts.idleTimeout (duration)",
			MaxRequests:      "entryPoints.<name>.transport.keepAliveMaxRequests (count; >= 2.11)",
			MaxConnectionAge: "entryPoints.<name>.transport.keepAliveMaxTime (duration; >= 2.11)",
		},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(180), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "traefik/traefik pkg/config/static/static_config.go @fd5a576d L47-48, L203, L209 (idleTimeout 180s); pkg/config/static/entrypoints.go L184-185 (keepAliveMaxRequests 0, keepAliveMaxTime 0s)",
			Notes:  "keepAliveMaxRequests and keepAliveMaxTime (added in 2.11.0) default to 0 = no limit; before 2.11 no such limits exist.",
		}},
	},

	// --- Load balancers in front of nginx -------------------------------------------------
	{
		Type: "aws-alb", Name: "AWS Application Load Balancer", IsLoadBalancer: true,
		Knobs: Knobs{IdleTimeout: "load balancer attribute idle_timeout.timeout_seconds (seconds)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(60), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-load-balancer-attributes.html (idle timeout default 60 seconds)",
			Notes:  "AWS asks that the target's keep-alive timeout be longer than the load balancer's idle timeout, otherwise the load balancer returns 502.",
		}},
	},
	{
		Type: "gcp-alb", Name: "Google Cloud external Application Load Balancer", IsLoadBalancer: true,
		Knobs: Knobs{IdleTimeout: "backend keepalive timeout (fixed; httpKeepAliveTimeoutSec sets only the client side)"},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: Seconds(600), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "https://cloud.google.com/load-balancing/docs/https/request-distribution (GFE backend keepalive timeout 600 seconds)",
			Notes:  "Google asks that backend keep-alive be longer than 600 s (620 s is common).",
		}},
	},
	{
		Type: "azure-appgw", Name: "Azure Application Gateway", IsLoadBalancer: true,
		Knobs: Knobs{},
		Defaults: []Defaults{{
			KeepAliveSupported: true, IdleTimeout: UnknownIdle, MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
			Source: "none: no primary source states the backend idle timeout (the backend setting timeout is a request timeout)",
			Notes:  "Microsoft does not document the backend keep-alive idle timeout (secondary sources disagree: 30 s vs 4 min). Give load_balancer.idle_timeout.",
		}},
	},

	{
		Type: "custom", Name: "custom backend (all limits from the user)", Custom: true,
	},
}

var tomcatKnobs = Knobs{
	IdleTimeout: "Connector keepAliveTimeout (ms; defaults to connectionTimeout)",
	MaxRequests: "Connector maxKeepAliveRequests (count; -1 = unlimited)",
}

var nodeKnobs = Knobs{
	IdleTimeout: "server.keepAliveTimeout (ms)",
	MaxRequests: "server.maxRequestsPerSocket (count; 0 = unlimited)",
}

var pumaKnobs = Knobs{
	IdleTimeout: "persistent_timeout (seconds; env PUMA_PERSISTENT_TIMEOUT)",
	MaxRequests: "max_keep_alive (count; Puma >= 7)",
}

// pumaDefaults serve both puma and rails: Rails' generated config/puma.rb sets no keep-alive options.
var pumaDefaults = []Defaults{
	{
		MaxVersion:         "7",
		KeepAliveSupported: true, IdleTimeout: Seconds(20), MaxRequests: NoRequestCap, MaxConnectionAge: NoAgeLimit,
		Source: "puma/puma lib/puma/configuration.rb @v6.6.0 (persistent_timeout: 20); lib/puma/const.rb @v5.6.5 (PERSISTENT_TIMEOUT = 20)",
		Notes: "No hard per-connection cap: after max_fast_inline (10) requests Puma sends Connection: close only when all threads are busy " +
			"(lib/puma/request.rb @v6.6.0 L164-170), which nginx handles without an error.",
	},
	{
		MinVersion:         "7",
		KeepAliveSupported: true, IdleTimeout: Seconds(65), MaxRequests: Requests(999), MaxConnectionAge: NoAgeLimit,
		Source: "puma/puma lib/puma/configuration.rb @ff2e2126 L153-164 (max_keep_alive 999, persistent_timeout 65); History.md L133-137 (7.0.0, #3378, #3719)",
		Notes:  "Raised to 65 s in 7.0.0. max_keep_alive is a hard cap (Connection: close on the last response); enable_keep_alives false turns keep-alive off.",
	},
}

// noKeepAlive is the entry for servers that close after every response.
func noKeepAlive(source, notes string) Defaults {
	return Defaults{
		KeepAliveSupported: false, IdleTimeout: NoIdleLimit, MaxRequests: Requests(1), MaxConnectionAge: NoAgeLimit,
		Source: source, Notes: notes,
	}
}
