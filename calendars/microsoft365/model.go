package microsoft365

import "encoding/json"

// The fields of Microsoft Graph's event resource the adapter reads
// (v1.0). With `Prefer: outlook.timezone="UTC"` every dateTime is UTC;
// originalStartTimeZone keeps the zone the organizer scheduled in, which
// the recurrence is expanded in.

type event struct {
	ID                    string          `json:"id"`
	ETag                  string          `json:"@odata.etag"`
	Removed               json.RawMessage `json:"@removed"`
	Type                  string          `json:"type"` // singleInstance | occurrence | exception | seriesMaster
	SeriesMasterID        string          `json:"seriesMasterId"`
	ICalUID               string          `json:"iCalUId"`
	Subject               string          `json:"subject"`
	Body                  *itemBody       `json:"body"`
	Location              *location       `json:"location"`
	Start                 *dateTimeZone   `json:"start"`
	End                   *dateTimeZone   `json:"end"`
	OriginalStart         string          `json:"originalStart"`
	OriginalStartTimeZone string          `json:"originalStartTimeZone"`
	IsAllDay              bool            `json:"isAllDay"`
	IsCancelled           bool            `json:"isCancelled"`
	IsOrganizer           bool            `json:"isOrganizer"`
	Recurrence            *recurrence     `json:"recurrence"`
	Organizer             *recipient      `json:"organizer"`
	Attendees             []attendee      `json:"attendees"`
	ResponseStatus        *responseStatus `json:"responseStatus"`
	LastModified          string          `json:"lastModifiedDateTime"`
}

// removed reports an "@removed" entry of a delta: the event is gone from
// the window (deleted, or moved out of it).
func (e *event) removed() bool { return len(e.Removed) > 0 && string(e.Removed) != "null" }

type itemBody struct {
	ContentType string `json:"contentType"` // text | html
	Content     string `json:"content"`
}

type location struct {
	DisplayName string `json:"displayName"`
}

type dateTimeZone struct {
	DateTime string `json:"dateTime"`
	TimeZone string `json:"timeZone"`
}

type emailAddress struct {
	Name    string `json:"name"`
	Address string `json:"address"`
}

type recipient struct {
	EmailAddress emailAddress `json:"emailAddress"`
}

type responseStatus struct {
	Response string `json:"response"`
}

type attendee struct {
	Type         string          `json:"type"` // required | optional | resource
	Status       *responseStatus `json:"status"`
	EmailAddress emailAddress    `json:"emailAddress"`
}

type recurrence struct {
	Pattern recurrencePattern `json:"pattern"`
	Range   recurrenceRange   `json:"range"`
}

type recurrencePattern struct {
	Type           string   `json:"type"`
	Interval       int      `json:"interval"`
	Month          int      `json:"month"`
	DayOfMonth     int      `json:"dayOfMonth"`
	DaysOfWeek     []string `json:"daysOfWeek"`
	FirstDayOfWeek string   `json:"firstDayOfWeek"`
	Index          string   `json:"index"`
}

type recurrenceRange struct {
	Type                string `json:"type"` // endDate | noEnd | numbered
	StartDate           string `json:"startDate"`
	EndDate             string `json:"endDate"`
	RecurrenceTimeZone  string `json:"recurrenceTimeZone"`
	NumberOfOccurrences int    `json:"numberOfOccurrences"`
}

// page is one page of a delta or collection response.
type page struct {
	Value     []event `json:"value"`
	NextLink  string  `json:"@odata.nextLink"`
	DeltaLink string  `json:"@odata.deltaLink"`
}
