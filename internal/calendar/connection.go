package calendar

import (
	"context"
	"time"

	"github.com/debrief-hq/debrief/internal/cursor"
)

// Providers.
const (
	ProviderGoogle = "google"
	ProviderICS    = "ics"
)

// Connection statuses.
const (
	StatusActive      = "active"
	StatusNeedsReauth = "needs_reauth"
	StatusError       = "error"
	StatusPaused      = "paused"
)

// Connection is one calendar account or feed, as its owner sees it.
type Connection struct {
	ID           string
	Provider     string
	Name         string
	FeedURL      string
	Status       string
	LastError    string
	LastSyncedAt *time.Time
	NextSyncAt   *time.Time
	CreatedAt    time.Time
	Calendars    []Calendar
	// OAuthToken is the sealed token a new Google connection is made with
	// (never read back through this type).
	OAuthToken []byte
}

// Calendar is one calendar inside a connection.
type Calendar struct {
	ID         string
	ProviderID string
	Name       string
	TimeZone   string
	Selected   bool
}

// SyncState is what a sync needs to know about a connection, and what it
// writes back in the transaction that applies its changes.
type SyncState struct {
	Connection
	Owner        User
	ETag         string
	LastModified string
	OAuthToken   []byte // sealed
	// SyncTokens are the calendars' incremental positions, by calendar id.
	SyncTokens map[string]string
}

// SyncOutcome is what a finished sync records on its connection (and, for
// Google, on the calendar it listed).
type SyncOutcome struct {
	ConnectionID string
	ETag         string // ICS validators
	LastModified string
	// CalendarID and SyncToken: the calendar's next incremental position.
	CalendarID string
	SyncToken  string
	SyncedAt   time.Time
	NextSyncAt time.Time
	// OAuthToken, when set, is a refreshed token (sealed) to keep.
	OAuthToken []byte
}

// ConnectionStore keeps connections.
type ConnectionStore interface {
	CreateConnection(ctx context.Context, owner string, c Connection) (Connection, error)
	ListConnections(ctx context.Context, owner string, page cursor.Page) (cursor.Result[Connection], error)
	GetConnection(ctx context.Context, owner, id string) (Connection, error)
	UpdateConnection(ctx context.Context, owner, id string, name *string, selected map[string]bool) (Connection, error)
	DeleteConnection(ctx context.Context, owner, id string) error
	// SyncState loads a connection (of any owner) for a sync.
	SyncState(ctx context.Context, id string) (SyncState, error)
	// RecordSyncFailure marks a connection's failed sync.
	RecordSyncFailure(ctx context.Context, id, status, lastError string, next time.Time) error
	// ConnectGoogle saves a Google account's connection: a new one, or the
	// owner's existing one of that name renewed (token, status, calendars
	// added; the person's choice of calendars kept).
	ConnectGoogle(ctx context.Context, owner, name string, sealedToken []byte, cals []Calendar) (Connection, error)
	// WatchOf is a calendar's push channel (zero when none).
	WatchOf(ctx context.Context, calendarID string) (Watch, error)
	// WatchByChannel finds a push channel by its id (any owner).
	WatchByChannel(ctx context.Context, channelID string) (Watch, error)
	SaveWatch(ctx context.Context, w Watch) error
	// RefreshCalendars records the calendars a provider lists now (new ones
	// added, known ones renamed, choices kept) and returns them all.
	RefreshCalendars(ctx context.Context, owner, connID string, cals []Calendar) ([]Calendar, error)
	// SaveToken keeps a refreshed OAuth token (sealed).
	SaveToken(ctx context.Context, id string, sealed []byte) error
	// DueConnections lists connections whose next sync is due.
	DueConnections(ctx context.Context, now time.Time, limit int) ([]string, error)
}
