package tz

import (
	"encoding/binary"
	"fmt"
)

// encodeTZif writes a TZif version 2 file (RFC 8536) for
// time.LoadLocationFromTZData: an empty version 1 block, which readers of
// version 2 skip, then the 64-bit block and an empty footer. Type 0 is the
// time before the first transition and no transition uses it, which is how
// Go's reader recognizes it as such.
func encodeTZif(initial zoneType, obsTypes []zoneType, tx []transition) ([]byte, error) {
	types := []zoneType{initial}
	index := map[zoneType]int{}
	idx := make([]byte, len(tx))
	for i, t := range tx {
		typ := obsTypes[t.typ]
		n, ok := index[typ]
		if !ok {
			n = len(types)
			index[typ] = n
			types = append(types, typ)
		}
		if n > 255 {
			return nil, errTooManyTypes
		}
		idx[i] = byte(n)
	}
	chars, desig, err := abbrTable(types)
	if err != nil {
		return nil, err
	}
	b := tzifHeader(nil, 0, 0, 0)
	b = tzifHeader(b, len(tx), len(types), len(chars))
	for _, t := range tx {
		b = binary.BigEndian.AppendUint64(b, uint64(t.when))
	}
	b = append(b, idx...)
	for i, t := range types {
		b = binary.BigEndian.AppendUint32(b, uint32(int32(t.offset)))
		b = append(b, boolByte(t.dst), desig[i])
	}
	b = append(b, chars...)
	return append(b, '\n', '\n'), nil
}

// tzifHeader appends a version 2 header; there are no leap seconds and no
// standard/wall or UT/local indicators.
func tzifHeader(b []byte, timecnt, typecnt, charcnt int) []byte {
	b = append(b, "TZif2"...)
	b = append(b, make([]byte, 15)...)
	for _, n := range []int{0, 0, 0, timecnt, typecnt, charcnt} {
		b = binary.BigEndian.AppendUint32(b, uint32(n))
	}
	return b
}

// abbrTable lays out the NUL-terminated abbreviations. An index is a single
// byte, so when TZNAMEs would overflow it the generated "+0100" forms, which
// are short and shared by types with the same offset, are used instead.
func abbrTable(types []zoneType) ([]byte, []byte, error) {
	for _, generated := range []bool{false, true} {
		var chars []byte
		at := map[string]int{}
		desig := make([]byte, len(types))
		ok := true
		for i, t := range types {
			name := t.abbr
			if generated {
				name = offsetAbbr(t.offset)
			}
			n, seen := at[name]
			if !seen {
				n = len(chars)
				at[name] = n
				chars = append(append(chars, name...), 0)
			}
			if n > 255 {
				ok = false
				break
			}
			desig[i] = byte(n)
		}
		if ok {
			return chars, desig, nil
		}
	}
	return nil, nil, fmt.Errorf("too many time zone abbreviations")
}

// abbrev keeps a TZNAME that looks like an abbreviation ("CEST", "GMT-3",
// "+0530") and otherwise generates one from the offset: localized names
// such as "Mitteleuropäische Sommerzeit" would end up in every formatted
// time.
func abbrev(name string, offset int) string {
	if len(name) < 2 || len(name) > 10 {
		return offsetAbbr(offset)
	}
	for _, c := range []byte(name) {
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-'
		if !ok {
			return offsetAbbr(offset)
		}
	}
	return name
}

// offsetAbbr formats an offset the way the tz database names unnamed
// zones: "+0100", "-0330", and with seconds only when there are any.
func offsetAbbr(offset int) string {
	sign := byte('+')
	if offset < 0 {
		sign, offset = '-', -offset
	}
	h, m, s := offset/3600, offset/60%60, offset%60
	if s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, h, m)
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
