package mailer

import "context"

// Lister lists the outbox's messages (mailer/store's Outbox).
type Lister interface {
	List(ctx context.Context, opt ListOptions) ([]Message, error)
}

// Problems is what `outbox list` shows: the failed, held back and
// expired mail, newest first, at most limit, as entries.
func Problems(ctx context.Context, o Lister, limit int) ([]Entry, error) {
	ms, err := o.List(ctx, ListOptions{Problems: true, Limit: limit})
	if err != nil {
		return nil, err
	}
	entries := make([]Entry, 0, len(ms))
	for _, m := range ms {
		entries = append(entries, EntryOf(m))
	}
	return entries, nil
}
