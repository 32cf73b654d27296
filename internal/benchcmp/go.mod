module github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/benchcmp

go 1.26

replace github.com/nginx-keepalive/terraform-provider-nginxkeepalive => ../..

require (
	github.com/nginx-keepalive/terraform-provider-nginxkeepalive v0.0.0-00010101000000-000000000000
	github.com/nginxinc/nginx-go-crossplane v0.4.81
)

require (
	github.com/jstemmer/go-junit-report v1.0.0 // indirect
	github.com/tufanbarisyildirim/gonginx v0.0.0-20260220081509-8e17ce617db3 // indirect
	golang.org/x/mod v0.35.0 // indirect
	golang.org/x/sync v0.20.0 // indirect
	golang.org/x/tools v0.43.0 // indirect
)
