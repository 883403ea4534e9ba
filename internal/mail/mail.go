// Package mail sends Debrief's email over SMTP (with wneessen/go-mail):
// reminders to their owner, with a stable Message-ID, one-click
// unsubscribe (RFC 8058) and signed action links, and meeting recaps to
// attendees.
package mail

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/debrief-hq/debrief/internal/remind"
)

// Config is where mail goes out.
type Config struct {
	// URL is smtp://user:pass@host:port (STARTTLS when the server offers
	// it) or smtps://… (TLS from the start).
	URL string
	// From is the sender address ("Debrief <debrief@example.com>").
	From string
}

// Mailer sends email.
type Mailer struct {
	host     string
	opts     []gomail.Option
	from     string
	fromAddr string
	domain   string
}

// New checks the configuration and builds a mailer (it connects per send).
func New(c Config) (*Mailer, error) {
	u, err := url.Parse(c.URL)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, errors.New("DEBRIEF_SMTP_URL must be smtp://[user:pass@]host[:port] or smtps://…")
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("DEBRIEF_MAIL_FROM: %w", err)
	}
	m := &Mailer{host: u.Hostname(), from: from.String(), fromAddr: from.Address}
	_, m.domain, _ = strings.Cut(from.Address, "@")
	m.opts = append(m.opts, gomail.WithTimeout(30*time.Second))
	port := 0
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, errors.New("DEBRIEF_SMTP_URL: bad port")
		}
	}
	if u.Scheme == "smtps" {
		m.opts = append(m.opts, gomail.WithSSL(), gomail.WithPort(cmpOr(port, 465)))
	} else {
		m.opts = append(m.opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithPort(cmpOr(port, 587)))
	}
	if u.User != nil {
		pass, _ := u.User.Password()
		m.opts = append(m.opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pass))
	}
	return m, nil
}

func cmpOr(a, b int) int {
	if a != 0 {
		return a
	}
	return b
}

// MessageID is the Message-ID of a delivery: the same on every attempt,
// so a receiver (or a mail client) drops a second copy.
func (m *Mailer) MessageID(deliveryID string) string { return deliveryID + "@" + m.domain }

// Send sends a reminder to its owner.
func (m *Mailer) Send(ctx context.Context, o remind.Outgoing) error {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(m.from); err != nil {
		return remind.Permanent(err)
	}
	if err := msg.To(o.Owner.Email); err != nil {
		return remind.Permanent(fmt.Errorf("the account's address: %w", err))
	}
	msg.Subject(o.Message.Subject)
	msg.SetMessageIDWithValue(m.MessageID(o.ID))
	msg.SetDate()
	msg.SetGenHeader("X-Debrief-Kind", o.Kind)
	if o.Unsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+o.Unsubscribe+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	text, htm := o.Message.Text, o.Message.HTML
	if len(o.Actions) > 0 || o.Unsubscribe != "" {
		var tb, hb strings.Builder
		for _, a := range o.Actions {
			fmt.Fprintf(&tb, "%s: %s\n", a.Label, a.URL)
			fmt.Fprintf(&hb, `<a href="%s" style="margin-right:16px">%s</a>`, html.EscapeString(a.URL), html.EscapeString(a.Label))
		}
		if o.Unsubscribe != "" {
			fmt.Fprintf(&tb, "\nStop these emails: %s\n", o.Unsubscribe)
			fmt.Fprintf(&hb, `<p style="color:#666;font-size:12px">Stop these emails: <a href="%s">unsubscribe</a></p>`, html.EscapeString(o.Unsubscribe))
		}
		text += "\n" + tb.String()
		htm = strings.Replace(htm, "</body>", "<p>"+hb.String()+"</p></body>", 1)
	}
	msg.SetBodyString(gomail.TypeTextPlain, text)
	msg.AddAlternativeString(gomail.TypeTextHTML, htm)
	return m.send(ctx, msg)
}

// SendRecap emails a meeting's recap to its attendees, from the server's
// address with the owner as Reply-To; id makes its Message-ID.
func (m *Mailer) SendRecap(ctx context.Context, id string, owner remind.Owner, to []string, msgIn remind.Message) error {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from := m.from
	if owner.Name != "" {
		from = (&mail.Address{Name: owner.Name + " (via Debrief)", Address: m.fromAddr}).String()
	}
	if err := msg.From(from); err != nil {
		return remind.Permanent(err)
	}
	if err := msg.To(to...); err != nil {
		return remind.Permanent(err)
	}
	if owner.Email != "" {
		if err := msg.ReplyTo(owner.Email); err != nil {
			return remind.Permanent(err)
		}
	}
	msg.Subject(msgIn.Subject)
	msg.SetMessageIDWithValue(m.MessageID(id))
	msg.SetDate()
	msg.SetBodyString(gomail.TypeTextPlain, msgIn.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, msgIn.HTML)
	return m.send(ctx, msg)
}

func (m *Mailer) send(ctx context.Context, msg *gomail.Msg) error {
	c, err := gomail.NewClient(m.host, m.opts...)
	if err != nil {
		return remind.Permanent(err)
	}
	err = c.DialAndSendWithContext(ctx, msg)
	if err == nil {
		return nil
	}
	// A 5xx reply is the server refusing the message: sending it again
	// will not help. Anything else (no connection, a 4xx) is retried.
	var se *gomail.SendError
	if errors.As(err, &se) && !se.IsTemp() {
		return remind.Permanent(err)
	}
	return err
}
