package calendars

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// Rule is one parsed RRULE.
type Rule struct {
	Text string // as written, without "RRULE:"
	opt  rrule.ROption
	// untilDate is set when UNTIL is a DATE: the last day on which an
	// occurrence may start, inclusive, in the series' own zone.
	untilDate     bool
	untilFloating bool // UNTIL without Z: wall clock in the series' zone
	// dayless says why the rule can never produce an instance, or "".
	dayless string
}

// ParseRule reads an RRULE value ("FREQ=WEEKLY;BYDAY=MO" — a leading
// "RRULE:" is accepted). It is lenient where real producers are sloppy:
// lower-case names, a trailing ';', unknown X- parts are ignored, an empty
// UNTIL is dropped. Problems it forgave are returned as warnings.
func ParseRule(text string) (Rule, []string, error) {
	text = strings.TrimSpace(text)
	if len(text) >= 6 && strings.EqualFold(text[:6], "RRULE:") {
		text = text[6:]
	}
	r := Rule{Text: text}
	var warns []string
	freqSet := false
	for _, part := range strings.Split(text, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		if !ok {
			return Rule{}, warns, fmt.Errorf("RRULE part %q has no '='", clipped(part))
		}
		if v == "" {
			warns = append(warns, fmt.Sprintf("RRULE %s has no value; ignored", k))
			continue
		}
		if k == "FREQ" {
			freqSet = true
		}
		w, err := r.set(k, v)
		if err != nil {
			return Rule{}, warns, fmt.Errorf("RRULE %s=%s: %w", clipped(k), clipped(v), err)
		}
		if w != "" {
			warns = append(warns, w)
		}
	}
	if !freqSet {
		return Rule{}, warns, fmt.Errorf("RRULE %q has no FREQ", clipped(text))
	}
	if r.opt.Count > 0 && !r.opt.Until.IsZero() {
		warns = append(warns, "RRULE has both COUNT and UNTIL (RFC 5545 allows one); both are applied")
	}
	r.dayless = dayless(r.opt)
	if r.dayless != "" {
		warns = append(warns, "RRULE "+r.dayless+"; only DTSTART occurs")
	}
	return r, warns, nil
}

func (r *Rule) set(k, v string) (string, error) {
	var err error
	o := &r.opt
	switch k {
	case "FREQ":
		o.Freq, err = rrule.StrToFreq(strings.ToUpper(v))
	case "INTERVAL":
		o.Interval, err = strconv.Atoi(v)
		if err == nil && o.Interval < 1 {
			return "RRULE INTERVAL below 1; read as 1", nil
		}
	case "COUNT":
		o.Count, err = strconv.Atoi(v)
		if err == nil && o.Count < 1 {
			err = fmt.Errorf("COUNT must be positive")
		}
	case "UNTIL":
		err = r.setUntil(v)
	case "WKST":
		var w []rrule.Weekday
		w, err = weekdays(v)
		if err == nil {
			o.Wkst = w[0]
		}
	case "BYDAY":
		o.Byweekday, err = weekdays(v)
	case "BYSETPOS":
		o.Bysetpos, err = ints(v)
	case "BYMONTH":
		o.Bymonth, err = ints(v)
	case "BYMONTHDAY":
		o.Bymonthday, err = ints(v)
	case "BYYEARDAY":
		o.Byyearday, err = ints(v)
	case "BYWEEKNO":
		o.Byweekno, err = ints(v)
	case "BYHOUR":
		o.Byhour, err = ints(v)
	case "BYMINUTE":
		o.Byminute, err = ints(v)
	case "BYSECOND":
		o.Bysecond, err = ints(v)
	default:
		return fmt.Sprintf("RRULE part %s is not understood; ignored", k), nil
	}
	return "", err
}

func (r *Rule) setUntil(v string) error {
	v = strings.ToUpper(v)
	switch {
	case len(v) == 8:
		t, err := time.Parse("20060102", v)
		r.opt.Until, r.untilDate = t, true
		return err
	case strings.HasSuffix(v, "Z"):
		t, err := time.Parse("20060102T150405Z", v)
		r.opt.Until = t
		return err
	default:
		t, err := time.Parse("20060102T150405", v)
		r.opt.Until, r.untilFloating = t, true
		return err
	}
}

// ints reads a list of numbers, each once: rrule-go scans these lists
// for every day it considers, and a rule may repeat a value a million times.
func ints(v string) ([]int, error) {
	var out []int
	seen := map[int]bool{}
	for _, s := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", clipped(s))
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

var dayNames = map[string]rrule.Weekday{
	"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH,
	"FR": rrule.FR, "SA": rrule.SA, "SU": rrule.SU,
}

func weekdays(v string) ([]rrule.Weekday, error) {
	var out []rrule.Weekday
	seen := map[rrule.Weekday]bool{}
	for _, s := range strings.Split(strings.ToUpper(v), ",") {
		s = strings.TrimSpace(s)
		if len(s) < 2 {
			return nil, fmt.Errorf("%q is not a weekday", clipped(s))
		}
		d, ok := dayNames[s[len(s)-2:]]
		if !ok {
			return nil, fmt.Errorf("%q is not a weekday", clipped(s))
		}
		if n := s[:len(s)-2]; n != "" && n != "+" {
			k, err := strconv.Atoi(n)
			if err != nil || k == 0 || k > 53 || k < -53 {
				return nil, fmt.Errorf("%q is not a weekday", clipped(s))
			}
			d = d.Nth(k)
		}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out, nil
}
