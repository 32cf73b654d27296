package engine

import (
	"time"

	"github.com/nginx-keepalive/terraform-provider-nginxkeepalive/internal/ngxtime"
)

// fmtDur renders durations in messages the way nginx configs write them.
func fmtDur(d time.Duration) string { return ngxtime.Format(d) }
