package tz

import (
	"encoding/binary"
	"hash/maphash"
	"sync"
	"sync/atomic"
)

// maxCached bounds the cache: a feed could invent a new definition per
// event, and a daemon must not grow without end. Real calendars use a few
// dozen zones, so dropping everything when the bound is hit costs little.
const maxCached = 4096

type cacheKey struct {
	tzid string
	def  bool
	fp   uint64
}

type resultCache struct {
	m sync.Map // cacheKey -> result
	n atomic.Int64
}

var cache resultCache

func (c *resultCache) get(k cacheKey) (result, bool) {
	v, ok := c.m.Load(k)
	if !ok {
		return result{}, false
	}
	return v.(result), true
}

func (c *resultCache) put(k cacheKey, r result) {
	if c.n.Add(1) > maxCached {
		c.m.Clear()
		c.n.Store(1)
	}
	c.m.Store(k, r)
}

// fingerprint hashes everything in a definition that changes the resulting
// location, so equal definitions from different parses share a cache entry
// without being compared field by field. With 64 bits and at most maxCached
// entries a collision is not a practical concern.
func fingerprint(def *Definition) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	h.WriteString(def.TZID)
	for _, o := range def.Observances {
		h.WriteByte(0xff) // separator, so fields cannot shift between observances
		writeInt(&h, int64(o.OffsetFrom)<<32|int64(uint32(o.OffsetTo)))
		writeInt(&h, wallClock(o.Start).Unix()<<1|int64(boolByte(o.Daylight)))
		h.WriteString(o.Name)
		h.WriteByte(0)
		h.WriteString(o.RRule)
		h.WriteByte(0)
		for _, rd := range o.RDates {
			writeInt(&h, wallClock(rd).Unix())
		}
	}
	return h.Sum64()
}

var seed = maphash.MakeSeed()

func writeInt(h *maphash.Hash, v int64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(v))
	h.Write(b[:])
}
