// Package person owns the people a user meets and the organizations inferred
// from their email domains.
package person

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-hq/debrief/internal/account"
	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/meeting"
)

// OrgRef names a person's organization.
type OrgRef struct {
	ID     string
	Name   string
	Domain string
}

// Person is someone the user meets.
type Person struct {
	ID           string
	Name         string
	Email        string
	Emails       []string
	Organization *OrgRef
	CreatedAt    time.Time
}

// Detail is the person page.
type Detail struct {
	Person
	// RecentMeetings are the latest meetings together that have started,
	// newest first; UpcomingMeetings the next few, soonest first (a series
	// expanded a year ahead does not crowd out the past).
	RecentMeetings   []meeting.Meeting
	UpcomingMeetings []meeting.Meeting
	OpenActionItems  []actionitem.Item
	Decisions        []decision.Decision
	// Items are the person's recent action items in any status (for the
	// timeline).
	Items []actionitem.Item
	// Timeline is meetings, decisions and items in time order, newest first.
	Timeline []Event
}

// Event is one entry of a person's timeline.
type Event struct {
	Type  string // "meeting", "decision" or "action_item"
	ID    string
	At    time.Time
	Title string
}

// TimelineLimit bounds a timeline.
const TimelineLimit = 50

// buildTimeline merges the person's meetings, decisions and items by time:
// a meeting at its start, a decision when decided, an item when completed
// (or created). Ties break by type and id, so the order is stable.
func buildTimeline(d Detail) []Event {
	var ev []Event
	for _, m := range d.RecentMeetings {
		ev = append(ev, Event{Type: "meeting", ID: m.ID, At: m.StartsAt, Title: m.Title})
	}
	for _, dec := range d.Decisions {
		ev = append(ev, Event{Type: "decision", ID: dec.ID, At: dec.DecidedAt, Title: dec.Text})
	}
	for _, it := range d.Items {
		at := it.CreatedAt
		if it.CompletedAt != nil {
			at = *it.CompletedAt
		}
		ev = append(ev, Event{Type: "action_item", ID: it.ID, At: at, Title: it.Title})
	}
	sort.Slice(ev, func(i, j int) bool {
		if !ev[i].At.Equal(ev[j].At) {
			return ev[i].At.After(ev[j].At)
		}
		if ev[i].Type != ev[j].Type {
			return ev[i].Type < ev[j].Type
		}
		return ev[i].ID < ev[j].ID
	})
	if len(ev) > TimelineLimit {
		ev = ev[:TimelineLimit]
	}
	if ev == nil {
		ev = []Event{}
	}
	return ev
}

// Organization is inferred from an email domain.
type Organization struct {
	ID        string
	Domain    string
	Name      string
	CreatedAt time.Time
}

// OrgDetail is the organization page.
type OrgDetail struct {
	Organization
	People []Person
}

// UpdateInput changes a person; nil fields stay.
type UpdateInput struct {
	Name *string
	// Emails replaces the address list; the first is the primary one.
	Emails *[]string
}

// Validate normalises and checks the input.
func (in *UpdateInput) Validate() error {
	var f apperr.Fields
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		in.Name = &n
		f.MaxLen("name", n, 200)
	}
	if in.Emails != nil {
		list := *in.Emails
		if len(list) == 0 || len(list) > 20 {
			f.Add("emails", "must list between 1 and 20 addresses")
		}
		seen := map[string]bool{}
		out := make([]string, 0, len(list))
		for _, e := range list {
			e = account.NormalizeEmail(e)
			if !account.ValidEmail(e) {
				f.Add("emails", "%q is not an email address", e)
				continue
			}
			if !seen[e] {
				out = append(out, e)
			}
			seen[e] = true
		}
		in.Emails = &out
	}
	return f.Err()
}

// Filter narrows a list of people, ordered by name.
type Filter struct {
	Q              string
	OrganizationID string
	Page           cursor.Page
}

// Store is what the service needs from the database.
type Store interface {
	// GetPerson reads a person page: meetings up to now, the next few
	// after it.
	GetPerson(ctx context.Context, owner, id string, now time.Time) (Detail, error)
	UpdatePerson(ctx context.Context, owner, id string, in UpdateInput) (Person, error)
	ListPeople(ctx context.Context, owner string, f Filter) (cursor.Result[Person], error)
	GetOrganization(ctx context.Context, owner, id string) (OrgDetail, error)
	ListOrganizations(ctx context.Context, owner string, page cursor.Page) (cursor.Result[Organization], error)
}

// Service runs people and organizations.
type Service struct{ store Store }

// NewService builds the service.
func NewService(store Store) *Service { return &Service{store: store} }

// Get returns the person page.
func (s *Service) Get(ctx context.Context, owner, id string) (Detail, error) {
	d, err := s.store.GetPerson(ctx, owner, id, time.Now())
	if err != nil {
		return d, err
	}
	d.Timeline = buildTimeline(d)
	return d, nil
}

// Update changes a person.
func (s *Service) Update(ctx context.Context, owner, id string, in UpdateInput) (Person, error) {
	if err := in.Validate(); err != nil {
		return Person{}, err
	}
	return s.store.UpdatePerson(ctx, owner, id, in)
}

// List lists people.
func (s *Service) List(ctx context.Context, owner string, f Filter) (cursor.Result[Person], error) {
	f.Q = strings.TrimSpace(f.Q)
	var fe apperr.Fields
	if !fe.MaxLen("q", f.Q, 200) {
		return cursor.Result[Person]{}, fe.Err()
	}
	return s.store.ListPeople(ctx, owner, f)
}

// GetOrganization returns the organization page.
func (s *Service) GetOrganization(ctx context.Context, owner, id string) (OrgDetail, error) {
	return s.store.GetOrganization(ctx, owner, id)
}

// ListOrganizations lists organizations by name.
func (s *Service) ListOrganizations(ctx context.Context, owner string, page cursor.Page) (cursor.Result[Organization], error) {
	return s.store.ListOrganizations(ctx, owner, page)
}

// webmail domains are shared by unrelated people, so they never become an
// Organization.
var webmail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "outlook.com": true, "hotmail.com": true,
	"live.com": true, "msn.com": true, "yahoo.com": true, "ymail.com": true, "icloud.com": true,
	"me.com": true, "mac.com": true, "aol.com": true, "proton.me": true, "protonmail.com": true,
	"pm.me": true, "gmx.de": true, "gmx.net": true, "gmx.com": true, "web.de": true,
	"mail.com": true, "yandex.ru": true, "yandex.com": true, "zoho.com": true, "fastmail.com": true,
	"hey.com": true, "qq.com": true, "163.com": true, "126.com": true, "mail.ru": true,
	"hotmail.co.uk": true, "yahoo.co.uk": true, "outlook.de": true, "t-online.de": true,
	"orange.fr": true, "free.fr": true, "laposte.net": true, "libero.it": true, "naver.com": true,
	"tutanota.com": true, "duck.com": true,
}

// OrgDomain returns the organization domain of an address, or "" for webmail
// and calendar resource addresses.
func OrgDomain(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return ""
	}
	d := strings.ToLower(email[at+1:])
	if webmail[d] || d == NameOnlyDomain || strings.HasSuffix(d, "resource.calendar.google.com") || strings.HasSuffix(d, "group.calendar.google.com") {
		return ""
	}
	return d
}

// OrgName guesses a display name from a domain: "acme-corp.co.uk" → "Acme Corp".
func OrgName(domain string) string {
	labels := strings.Split(domain, ".")
	// Skip a trailing public suffix (one label, or two like co.uk).
	name := labels[0]
	if len(labels) >= 3 && len(labels[len(labels)-2]) <= 3 {
		name = labels[len(labels)-3]
	} else if len(labels) >= 2 {
		name = labels[len(labels)-2]
	}
	words := strings.FieldsFunc(name, func(r rune) bool { return r == '-' || r == '_' })
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// NameOnlyDomain is the domain of the addresses given to people known by
// name alone (an attendee typed without an address): .invalid reaches
// nobody (RFC 2606), and it makes no organization.
const NameOnlyDomain = "name-only.invalid"

// NameOnlyAddress is the placeholder address of a person known by name
// alone: their name in lower case, letters and digits joined by dots.
func NameOnlyAddress(name string) string {
	var b strings.Builder
	dot := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dot && b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteRune(r)
			dot = false
		} else {
			dot = true
		}
	}
	if b.Len() == 0 {
		b.WriteString("someone")
	}
	return b.String() + "@" + NameOnlyDomain
}
