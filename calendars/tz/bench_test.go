package tz

import "testing"

// BenchmarkResolveCached is the per-property cost: the parser calls Resolve
// for every DTSTART, DTEND, EXDATE and RECURRENCE-ID.
func BenchmarkResolveCached(b *testing.B) {
	def := outlookCET("W. Europe Standard Time")
	if _, _, err := Resolve(def.TZID, &def); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Resolve(def.TZID, &def); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveCachedParallel(b *testing.B) {
	def := outlookCET("W. Europe Standard Time")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, _, err := Resolve(def.TZID, &def); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkFromDefinition is the cost of a cache miss for a custom zone:
// 300 years of two yearly rules.
func BenchmarkFromDefinition(b *testing.B) {
	def := outlookEastern("Customized Time Zone")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromDefinition(def); err != nil {
			b.Fatal(err)
		}
	}
}
