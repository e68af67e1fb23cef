package sync

import (
	"fmt"
	"math"
	"strings"
)

// Describe says in one line what happened to the occurrence: from and
// to, the notice given, the detail, who confirmed or said it.
func (ev Event) Describe() string {
	var parts []string
	if ev.From != nil && ev.To != nil {
		parts = append(parts, *ev.From+" → "+*ev.To)
	} else if ev.From != nil {
		parts = append(parts, *ev.From)
	} else if ev.To != nil {
		parts = append(parts, *ev.To)
	}
	if ev.NoticeHours != nil {
		parts = append(parts, Notice(ev.NoticeHours, ev.NoticeMinutes)+" notice")
	}
	if ev.Detail != "" {
		parts = append(parts, ev.Detail)
	}
	if len(ev.ConfirmedBy) > 0 {
		who := "confirmed by "
		if ev.Kind != "held" {
			who = "said by "
		}
		parts = append(parts, who+strings.Join(ev.ConfirmedBy, ", "))
	}
	return strings.Join(parts, "; ")
}

// Notice says a notice to the minute under a day ("45 min",
// "3h 05min") and in hours from a day on ("193h"). A change seen after the
// planned start has a negative notice: "-20 min".
func Notice(hours *float64, minutes *int) string {
	m := int(math.Round(*hours * 60))
	if minutes != nil {
		m = *minutes
	}
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	switch {
	case m < 60:
		return fmt.Sprintf("%s%d min", sign, m)
	case m < 24*60:
		return fmt.Sprintf("%s%dh %02dmin", sign, m/60, m%60)
	}
	return fmt.Sprintf("%s%.0fh", sign, float64(m)/60)
}
