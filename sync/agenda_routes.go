package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/oneonone/oneonone/calendars"
	"github.com/oneonone/oneonone/sync/store"
)

// AgendaRoute says where one participant of a 1:1 finds its agenda, and
// why: in a calendar copy oneonone writes, or by mail.
type AgendaRoute struct {
	Email     string   `json:"email"`
	Via       string   `json:"via"`                 // calendar | mail
	Calendars []string `json:"calendars,omitempty"` // the copies written that they see
	Why       string   `json:"why"`
}

// agendaRoutes plans, for each participant, where the agenda reaches
// them: the same rule AgendaWriters follows (Copy.reaches), assuming each
// copy's calendar can be written and each write is allowed. A copy the server refuses at write time sends the
// agenda by mail instead, which the plan cannot know beforehand.
func agendaRoutes(copies []Copy, people []string, organizer string) []AgendaRoute {
	organizer = strings.ToLower(organizer)
	var out []AgendaRoute
	for _, p := range people {
		r := AgendaRoute{Email: p, Via: "calendar"}
		for _, c := range copies {
			if c.Sharing == calendars.OneEvent && c.Owner != organizer {
				continue // a guest's copy: only the organizer's may be edited
			}
			if c.organizersNotifying(organizer) {
				continue // an organizer's change would send every attendee an update
			}
			if slices.Contains(c.reaches(people), p) {
				r.Calendars = append(r.Calendars, c.Calendar)
			}
		}
		if len(r.Calendars) == 0 {
			r.Via, r.Why = "mail", mailReason(copies, p)
		} else {
			r.Why = calendarReason(copies, r.Calendars[0])
		}
		out = append(out, r)
	}
	return out
}

func calendarReason(copies []Copy, name string) string {
	for _, c := range copies {
		if c.Calendar != name {
			continue
		}
		if c.Sharing == calendars.OneEvent {
			return fmt.Sprintf("written into the organizer's event in %s, which both people see (mailed instead if the server refuses the write)", name)
		}
		if c.Sharing == calendars.AttendeeCopies {
			return fmt.Sprintf("written into their own attendee's copy in %s, which notifies nobody (mailed instead if the server refuses the write)", name)
		}
		return fmt.Sprintf("written into their own copy in %s (mailed instead if the server refuses the write)", name)
	}
	return ""
}

func mailReason(copies []Copy, person string) string {
	for _, c := range copies {
		if c.Sharing == calendars.OneEvent && c.Owner == person {
			return fmt.Sprintf("their copy in %s is a guest's, which only the organizer may edit, and the organizer's calendar is not watched", c.Calendar)
		}
	}
	for _, c := range copies {
		if c.Sharing == calendars.AttendeeCopies && c.Owner == person {
			return fmt.Sprintf("their copy in %s is the organizer's, and a change there would send every attendee an update", c.Calendar)
		}
	}
	for _, c := range copies {
		if c.Owner == "" {
			return fmt.Sprintf("no watched calendar is known to be theirs (calendar %s has no owner: set email on it); a copy of one's own is seen only by its owner", c.Calendar)
		}
	}
	return "no watched calendar of theirs holds the meeting, and a copy of one's own is seen only by its owner"
}

// addAgendaRoutes fills in the agenda routes of the 1:1s of list.
func addAgendaRoutes(ctx context.Context, d *sql.DB, list []SeriesInfo, sharing KindSharing) error {
	st := store.Agenda{DB: d}
	for i, s := range list {
		if !s.OneOnOne || s.State != "active" {
			continue
		}
		organizer, err := st.Organizer(ctx, s.UID)
		if err != nil {
			return fmt.Errorf("sync: agenda routes of %s: %w", s.UID, err)
		}
		copies, err := seriesCopies(ctx, st, s.UID, organizer, sharing.of)
		if errors.Is(err, calendars.ErrNoMeeting) {
			copies, err = nil, nil
		}
		if err != nil {
			return fmt.Errorf("sync: agenda routes of %s: %w", s.UID, err)
		}
		var people []string
		for _, p := range s.Participants {
			people = append(people, strings.ToLower(p))
		}
		list[i].Agenda = agendaRoutes(copies, people, organizer)
	}
	return nil
}
