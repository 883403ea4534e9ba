// Package account owns users, sign-in sessions and personal API tokens:
// password hashing (argon2id), token generation, and the CSRF tokens that
// protect cookie-authenticated writes. Secrets are stored only as hashes.
package account

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"net/mail"
	"runtime"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/trustelem/zxcvbn"

	"github.com/debrief-hq/debrief/internal/apperr"
	"github.com/debrief-hq/debrief/internal/cursor"
)

// User is an account.
type User struct {
	ID        string
	Email     string
	Name      string
	TimeZone  string
	CreatedAt time.Time
}

// Token is a personal API token as listed (the secret itself is never kept).
type Token struct {
	ID         string
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// Principal is who a request acts as.
type Principal struct {
	User User
	// SessionToken is set when the request was authenticated by the session
	// cookie; such requests need a CSRF token to write.
	SessionToken string
}

// Credentials are what a successful sign-in hands the browser.
type Credentials struct {
	SessionToken string
	CSRFToken    string
	ExpiresAt    time.Time
}

// Store is what the service needs from the database.
type Store interface {
	CreateUser(ctx context.Context, email, name, timeZone, passwordHash string) (User, error)
	UserByEmail(ctx context.Context, email string) (User, string, error)
	UpdateUser(ctx context.Context, id string, name, timeZone *string) (User, error)
	CreateSession(ctx context.Context, userID, tokenHash string, expiresAt time.Time, userAgent string) error
	SessionUser(ctx context.Context, tokenHash string, now time.Time) (User, error)
	DeleteSession(ctx context.Context, tokenHash string) error
	CreateAPIToken(ctx context.Context, userID, name, tokenHash string) (Token, error)
	APITokenUser(ctx context.Context, tokenHash string) (User, error)
	ListAPITokens(ctx context.Context, userID string, page cursor.Page) (cursor.Result[Token], error)
	DeleteAPIToken(ctx context.Context, userID, id string) error
}

// Service runs accounts.
type Service struct {
	store Store
	cache *principalCache
	// hashing bounds concurrent argon2id runs: each holds its memory cost,
	// so a burst of sign-ins must queue rather than exhaust memory.
	hashing    chan struct{}
	secret     []byte
	sessionTTL time.Duration
	params     *argon2id.Params
	log        *slog.Logger
	dummyHash  string
}

// Options tune the service; zero values take safe defaults.
type Options struct {
	SessionTTL time.Duration
	// HashParams override argon2id's parameters (tests use cheaper ones).
	HashParams *argon2id.Params
	// AuthCacheTTL is how long a resolved session or token is reused before
	// the database is asked again (0: DefaultAuthCacheTTL; negative: never).
	// Revoking on this instance takes effect at once; on another instance
	// sharing the database, within this time.
	AuthCacheTTL time.Duration
}

// DefaultAuthCacheTTL bounds how stale a cached sign-in may be.
const DefaultAuthCacheTTL = 2 * time.Second

// PasswordParams are argon2id's costs: OWASP's recommended minimum
// (19 MiB, 2 passes, 1 lane), which keeps a sign-in's memory small on a
// laptop-sized server.
var PasswordParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// NewService builds the account service. secret keys the CSRF tokens.
func NewService(store Store, secret []byte, opts Options, log *slog.Logger) *Service {
	s := &Service{store: store, secret: secret, sessionTTL: opts.SessionTTL, params: opts.HashParams, log: log,
		cache: newPrincipalCache(opts.AuthCacheTTL)}
	if s.sessionTTL == 0 {
		s.sessionTTL = 30 * 24 * time.Hour
	}
	if s.params == nil {
		s.params = PasswordParams
	}
	s.hashing = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	// Logins for unknown emails still verify a hash, so response time does not
	// reveal which addresses have accounts.
	s.dummyHash, _ = argon2id.CreateHash("not a password", s.params)
	return s
}

func (s *Service) hash(password string) (string, error) {
	s.hashing <- struct{}{}
	defer func() { <-s.hashing }()
	return argon2id.CreateHash(password, s.params)
}

func (s *Service) verify(password, hash string) (bool, error) {
	s.hashing <- struct{}{}
	defer func() { <-s.hashing }()
	return argon2id.ComparePasswordAndHash(password, hash)
}

// SignupInput is a new account.
type SignupInput struct {
	Email    string
	Password string
	Name     string
	TimeZone string
}

// Validate normalises the input and reports every problem.
func (in *SignupInput) Validate() error {
	var f apperr.Fields
	in.Email = NormalizeEmail(in.Email)
	if !ValidEmail(in.Email) {
		f.Add("email", "must be an email address such as ada@example.com")
	}
	in.Name = strings.TrimSpace(in.Name)
	checkPassword(&f, in.Password, in.Email, in.Name)
	f.MaxLen("name", in.Name, 200)
	if in.TimeZone == "" {
		in.TimeZone = "UTC"
	}
	if !ValidTimeZone(in.TimeZone) {
		f.Add("time_zone", "%q is not an IANA time zone such as Europe/Berlin", in.TimeZone)
	}
	return f.Err()
}

// minGuesses is how many guesses a password must take by zxcvbn's
// estimate: fewer are the most common passwords and what is made from them
// or from the account's own address and name ("password1", "letmein!",
// "iloveyou123", "Alice1234" for alice@…), the first tries of a spraying
// attack.
const minGuesses = 1e5

func checkPassword(f *apperr.Fields, p string, userInputs ...string) {
	switch n := utf8.RuneCountInString(p); {
	case n < 8:
		f.Add("password", "must be at least 8 characters")
	case len(p) > 1024:
		f.Add("password", "must be at most 1024 bytes")
	case len(p) <= 100 && zxcvbn.PasswordStrength(p, inputs(userInputs)).Guesses < minGuesses:
		// Long passwords are not weighed: zxcvbn's cost grows with length,
		// and a hundred characters are not among the common ones.
		f.Add("password", "is one of the most common passwords, or close to one (or to your address or name); choose another")
	}
}

// inputs are the words of the account's address and name, which a
// password should not be made of.
func inputs(of []string) []string {
	var out []string
	for _, s := range of {
		out = append(out, s)
		out = append(out, strings.FieldsFunc(s, func(r rune) bool { return r == '@' || r == '.' || r == ' ' || r == '-' || r == '_' })...)
	}
	return out
}

// NormalizeEmail trims and lower-cases an address: Debrief matches addresses
// case-insensitively everywhere.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a bare address (no display name).
func ValidEmail(s string) bool {
	if len(s) > 320 || !strings.Contains(s, "@") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// ValidTimeZone reports whether tz names an IANA zone.
func ValidTimeZone(tz string) bool {
	if tz == "" || tz == "Local" {
		return false
	}
	_, err := time.LoadLocation(tz)
	return err == nil
}

// Signup creates an account and signs it in.
func (s *Service) Signup(ctx context.Context, in SignupInput, userAgent string) (User, Credentials, error) {
	if err := in.Validate(); err != nil {
		return User{}, Credentials{}, err
	}
	hash, err := s.hash(in.Password)
	if err != nil {
		return User{}, Credentials{}, apperr.Internal(err)
	}
	u, err := s.store.CreateUser(ctx, in.Email, in.Name, in.TimeZone, hash)
	if err != nil {
		if apperr.Is(err, apperr.KindConflict) {
			return User{}, Credentials{}, apperr.Conflict("an account with this email already exists; sign in instead")
		}
		return User{}, Credentials{}, err
	}
	creds, err := s.startSession(ctx, u.ID, userAgent)
	return u, creds, err
}

// CreateUser makes an account without signing in (the `debrief user create`
// command, for closed sign-up). An empty password generates one, returned.
// UserByEmail finds an account by its address (for the command line).
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	u, _, err := s.store.UserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	return u, err
}

func (s *Service) CreateUser(ctx context.Context, in SignupInput) (User, string, error) {
	if in.Password == "" {
		in.Password = randomToken(12)
	}
	if err := in.Validate(); err != nil {
		return User{}, "", err
	}
	hash, err := s.hash(in.Password)
	if err != nil {
		return User{}, "", apperr.Internal(err)
	}
	u, err := s.store.CreateUser(ctx, in.Email, in.Name, in.TimeZone, hash)
	return u, in.Password, err
}

// Login checks a password and starts a session.
func (s *Service) Login(ctx context.Context, email, password, userAgent string) (User, Credentials, error) {
	var f apperr.Fields
	email = NormalizeEmail(email)
	if email == "" {
		f.Add("email", "is required")
	}
	if password == "" {
		f.Add("password", "is required")
	}
	if err := f.Err(); err != nil {
		return User{}, Credentials{}, err
	}
	u, hash, err := s.store.UserByEmail(ctx, email)
	if err != nil && !apperr.Is(err, apperr.KindNotFound) {
		return User{}, Credentials{}, err
	}
	if hash == "" {
		hash = s.dummyHash
	}
	ok, cerr := s.verify(password, hash)
	if err != nil || cerr != nil || !ok {
		return User{}, Credentials{}, apperr.Unauthenticated("email or password is wrong")
	}
	creds, err := s.startSession(ctx, u.ID, userAgent)
	return u, creds, err
}

func (s *Service) startSession(ctx context.Context, userID, userAgent string) (Credentials, error) {
	token := randomToken(32)
	expires := time.Now().UTC().Add(s.sessionTTL).Truncate(time.Second)
	if len(userAgent) > 512 {
		userAgent = userAgent[:512]
	}
	if !utf8.ValidString(userAgent) {
		userAgent = strings.ToValidUTF8(userAgent, "")
	}
	// Control characters (a NUL was a 500 on PostgreSQL) have no place in
	// a user agent shown in a session list.
	userAgent = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, userAgent)
	if err := s.store.CreateSession(ctx, userID, hashToken(token), expires, userAgent); err != nil {
		return Credentials{}, err
	}
	return Credentials{SessionToken: token, CSRFToken: s.CSRFToken(token), ExpiresAt: expires}, nil
}

// Logout ends the session.
func (s *Service) Logout(ctx context.Context, sessionToken string) error {
	h := hashToken(sessionToken)
	s.cache.forget(func(k string, _ User) bool { return k == "s:"+h })
	return s.store.DeleteSession(ctx, h)
}

// AuthenticateSession resolves a session cookie.
func (s *Service) AuthenticateSession(ctx context.Context, token string) (Principal, error) {
	h := hashToken(token)
	u, ok := s.cache.get("s:" + h)
	if !ok {
		var err error
		u, err = s.store.SessionUser(ctx, h, time.Now().UTC())
		if err != nil {
			if apperr.Is(err, apperr.KindNotFound) {
				return Principal{}, apperr.Unauthenticated("your session has ended; sign in again")
			}
			return Principal{}, err
		}
		s.cache.put("s:"+h, u)
	}
	return Principal{User: u, SessionToken: token}, nil
}

// AuthenticateToken resolves a bearer API token.
func (s *Service) AuthenticateToken(ctx context.Context, token string) (Principal, error) {
	h := hashToken(token)
	if u, ok := s.cache.get("t:" + h); ok {
		return Principal{User: u}, nil
	}
	u, err := s.store.APITokenUser(ctx, h)
	if err != nil {
		if apperr.Is(err, apperr.KindNotFound) {
			return Principal{}, apperr.Unauthenticated("the bearer token is not valid (revoked or mistyped)")
		}
		return Principal{}, err
	}
	s.cache.put("t:"+h, u)
	return Principal{User: u}, nil
}

// CSRFToken derives the CSRF token of a session: an HMAC of the session
// token, so nothing extra is stored and it dies with the session.
func (s *Service) CSRFToken(sessionToken string) string {
	m := hmac.New(sha256.New, s.secret)
	m.Write([]byte("csrf:" + sessionToken))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// CheckCSRF reports whether csrf is the session's CSRF token.
func (s *Service) CheckCSRF(sessionToken, csrf string) bool {
	want := s.CSRFToken(sessionToken)
	return subtle.ConstantTimeCompare([]byte(want), []byte(csrf)) == 1
}

// UpdateInput changes a user's profile; nil fields stay.
type UpdateInput struct {
	Name     *string
	TimeZone *string
}

// UpdateMe changes the signed-in user's profile.
func (s *Service) UpdateMe(ctx context.Context, userID string, in UpdateInput) (User, error) {
	var f apperr.Fields
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		in.Name = &n
		f.MaxLen("name", n, 200)
	}
	if in.TimeZone != nil && !ValidTimeZone(*in.TimeZone) {
		f.Add("time_zone", "%q is not an IANA time zone such as Europe/Berlin", *in.TimeZone)
	}
	if err := f.Err(); err != nil {
		return User{}, err
	}
	u, err := s.store.UpdateUser(ctx, userID, in.Name, in.TimeZone)
	if err == nil {
		s.cache.forget(func(_ string, c User) bool { return c.ID == userID })
	}
	return u, err
}

// TokenPrefix starts every API token, so leaked tokens are easy to grep for.
const TokenPrefix = "dbt_"

// CreateToken makes a personal API token; the secret is returned once.
func (s *Service) CreateToken(ctx context.Context, userID, name string) (Token, string, error) {
	name = strings.TrimSpace(name)
	var f apperr.Fields
	if name == "" {
		f.Add("name", "is required")
	}
	f.MaxLen("name", name, 100)
	if err := f.Err(); err != nil {
		return Token{}, "", err
	}
	secret := TokenPrefix + randomToken(32)
	t, err := s.store.CreateAPIToken(ctx, userID, name, hashToken(secret))
	return t, secret, err
}

// ListTokens lists a user's tokens.
func (s *Service) ListTokens(ctx context.Context, userID string, page cursor.Page) (cursor.Result[Token], error) {
	return s.store.ListAPITokens(ctx, userID, page)
}

// DeleteToken revokes a token.
func (s *Service) DeleteToken(ctx context.Context, userID, id string) error {
	err := s.store.DeleteAPIToken(ctx, userID, id)
	if err == nil {
		// The cache is keyed by token hash, which the id does not give: drop
		// the user's cached tokens; the others are re-read once.
		s.cache.forget(func(k string, c User) bool { return c.ID == userID && strings.HasPrefix(k, "t:") })
	}
	return err
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is SHA-256: session and API tokens carry 256 random bits, so a
// fast hash is enough (unlike passwords).
func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}
