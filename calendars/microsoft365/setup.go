package microsoft365

import "github.com/oneonone/oneonone/calendars"

// Sharing is how Microsoft 365 copies are shared: each mailbox holds its
// own copy, and a change to the organizer's sends every attendee an
// update, so only attendees' copies are written.
const Sharing = calendars.AttendeeCopies
