package config

import "strings"

// Watches reports whether a synced calendar belongs to an enabled
// calendar of this config: its name, or one discovered under it
// ("ada/work").
func (c *Config) Watches(name string) bool {
	for _, cal := range c.Calendars {
		if cal.Enabled && (name == cal.Name || strings.HasPrefix(name, cal.Name+"/")) {
			return true
		}
	}
	return false
}
