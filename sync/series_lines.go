package sync

// Lines is list as `series` shows it, one line per series: the halves of
// a "this and following" split are one line, the continuation's, which
// says what it continues and since when.
func Lines(list []SeriesInfo) []SeriesInfo {
	continued := map[string]bool{}
	for _, s := range list {
		if s.Continues != "" {
			continued[s.Continues] = true
		}
	}
	out := make([]SeriesInfo, 0, len(list))
	for _, s := range list {
		if !continued[s.UID] {
			out = append(out, s)
		}
	}
	return out
}
