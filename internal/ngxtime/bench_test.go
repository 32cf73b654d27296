package ngxtime

import "testing"

func BenchmarkParse(b *testing.B) {
	for _, in := range []string{"60s", "1m30s", "1w 1d 1h 1m 1s 1ms", "9223372036854775807ms"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParseMillis(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("invalid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseMillis("5 sec"); err == nil {
				b.Fatal("5 sec accepted")
			}
		}
	})
}

func BenchmarkFormat(b *testing.B) {
	d, err := Parse("1m30s")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = Format(d)
	}
}
