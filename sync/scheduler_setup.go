package sync

import (
	"context"
	"slices"
)

// setUpAll sets every configured calendar up, as at start and after a
// reload.
func (s *Scheduler) setUpAll(ctx context.Context, backoff map[string]*retry) *calendarSet {
	set := &calendarSet{}
	for _, c := range s.Calendars() {
		found, err := c.SetUp(ctx)
		if err != nil {
			set.pending = append(set.pending, c)
			s.setUpFailed(ctx, c, err, backoff)
			continue
		}
		set.cals = append(set.cals, found...)
		s.setUpWorked(ctx, c, found, backoff)
	}
	s.changed(set.cals)
	return set
}

// retrySetUps tries again the calendars that failed to set up and whose
// backoff has passed; the ones that work join the synced calendars.
func (s *Scheduler) retrySetUps(ctx context.Context, set *calendarSet, backoff map[string]*retry) {
	if len(set.pending) == 0 {
		return
	}
	now := s.Now()
	var still []Configured
	for _, c := range set.pending {
		if b := backoff[c.Name]; b != nil && now.Before(b.next) {
			still = append(still, c)
			continue
		}
		found, err := c.SetUp(ctx)
		if err != nil {
			still = append(still, c)
			s.setUpFailed(ctx, c, err, backoff)
			continue
		}
		s.Log.Info("calendar set up", "calendar", c.Name, "calendars", len(found))
		set.cals = append(set.cals, found...)
		s.setUpWorked(ctx, c, found, backoff)
	}
	set.pending = still
	s.changed(set.cals)
}

func (s *Scheduler) changed(cals []Calendar) {
	s.mu.Lock()
	s.current = slices.Clone(cals)
	s.mu.Unlock()
	if s.SetUp != nil {
		s.SetUp(cals)
	}
}

// setUpFailed marks the calendar unhealthy with the reason and schedules
// the next attempt.
func (s *Scheduler) setUpFailed(ctx context.Context, c Configured, err error, backoff map[string]*retry) {
	sum := s.Engine().SetupFailed(ctx, c.Name, c.Kind, c.Source, err)
	backoff[c.Name] = s.noteResult(backoff[c.Name], sum, s.Interval(), c.Owner)
}

// setUpWorked clears what a failed set-up left: its backoff (so that the
// calendars found sync at once) and, when they were found under other
// names, the unhealthy row under the config name (also one left by an
// earlier run).
func (s *Scheduler) setUpWorked(ctx context.Context, c Configured, found []Calendar, backoff map[string]*retry) {
	delete(backoff, c.Name)
	if err := s.Engine().SetupDone(ctx, c.Name, found); err != nil {
		s.Log.Warn("calendar set up", "calendar", c.Name, "err", err)
	}
}
