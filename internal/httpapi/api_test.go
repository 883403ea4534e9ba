package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/debrief-hq/debrief/internal/app"
	"github.com/debrief-hq/debrief/internal/testutil"
)

// TestSpecCoversEveryRoute fails when a route exists that api/openapi.yaml
// does not document.
func TestSpecCoversEveryRoute(t *testing.T) {
	a := testutil.NewApp(t, testutil.SQLite)
	doc, _ := testutil.Spec(t)
	n := 0
	for _, r := range a.HTTP.GetRoutes(true) {
		// The browser client (its files and the app at every other path)
		// is not part of the JSON API.
		if r.Method == http.MethodHead || r.Path == "/api/*" || r.Path == "/" || r.Path == "/*" {
			continue
		}
		path := r.Path
		for _, p := range r.Params {
			path = strings.Replace(path, ":"+p, "{"+p+"}", 1)
		}
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("route %s %s is not in api/openapi.yaml", r.Method, path)
		}
		n++
	}
	if n < 30 {
		t.Fatalf("found only %d routes; the route listing is broken", n)
	}
}

func TestAccounts(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		a := testutil.NewApp(t, b)
		anon := testutil.NewClient(t, a.HTTP)
		signup := func(email, password string) *testutil.Response {
			return anon.Do("POST", "/api/v1/auth/signup", map[string]any{"email": email, "password": password, "name": "Ada"})
		}
		res := signup("Ada@Example.COM", "long enough password").Expect(t, http.StatusCreated)
		auth := res.Map(t)
		if auth["user"].(map[string]any)["email"] != "ada@example.com" {
			t.Errorf("email not normalised: %v", auth["user"])
		}
		cookie := res.Header.Get("Set-Cookie")
		for _, want := range []string{"debrief_session=", "httponly", "samesite=lax"} {
			if !strings.Contains(strings.ToLower(cookie), want) {
				t.Errorf("Set-Cookie %q lacks %s", cookie, want)
			}
		}
		if strings.Contains(strings.ToLower(cookie), "; secure") {
			t.Errorf("cookie is Secure over plain http: %q", cookie)
		}

		testutil.Run(t, anon, []testutil.Scenario{
			{Name: "duplicate email any case", Method: "POST", Path: "/api/v1/auth/signup",
				Body: map[string]any{"email": "ADA@example.com", "password": "long enough password"}, Status: 409, Problem: "conflict"},
			{Name: "every bad field at once", Method: "POST", Path: "/api/v1/auth/signup",
				Body: map[string]any{"email": "not-an-email", "password": "short", "time_zone": "Mars/Olympus"}, Status: 400,
				Contains: []string{`"field":"email"`, `"field":"password"`, `"field":"time_zone"`}, Problem: "invalid-input"},
			{Name: "wrong password", Method: "POST", Path: "/api/v1/auth/login",
				Body: map[string]any{"email": "ada@example.com", "password": "wrong password!"}, Status: 401, Problem: "unauthenticated"},
			{Name: "unknown account looks the same", Method: "POST", Path: "/api/v1/auth/login",
				Body: map[string]any{"email": "nobody@example.com", "password": "wrong password!"}, Status: 401,
				Contains: []string{"email or password is wrong"}},
			{Name: "me needs credentials", Method: "GET", Path: "/api/v1/me", Status: 401, Problem: "unauthenticated"},
			{Name: "malformed bearer", Method: "GET", Path: "/api/v1/me", Headers: []string{"Authorization: Basic abc"}, Status: 401},
			{Name: "unknown bearer", Method: "GET", Path: "/api/v1/me", Headers: []string{"Authorization: Bearer dbt_nope"}, Status: 401},
		})

		login := anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "ADA@example.com", "password": "long enough password"}).Expect(t, 200)
		var creds struct {
			CSRFToken string `json:"csrf_token"`
		}
		login.JSON(t, &creds)
		var session string
		for _, ck := range (&http.Response{Header: login.Header}).Cookies() {
			if ck.Name == "debrief_session" {
				session = ck.Value
			}
		}
		cookie1 := &testutil.Client{Cookie: session}
		*cookie1 = *testutil.NewClient(t, a.HTTP)
		cookie1.Cookie = session

		me := cookie1.Do("GET", "/api/v1/me", nil).Expect(t, 200).Map(t)
		if me["csrf_token"] != creds.CSRFToken {
			t.Errorf("GET /me csrf_token %v, want the one from login", me["csrf_token"])
		}
		// Cookie writes need the CSRF token.
		cookie1.Do("POST", "/api/v1/tokens", map[string]any{"name": "x"}).Expect(t, http.StatusForbidden)
		cookie1.Do("POST", "/api/v1/tokens", map[string]any{"name": "x"}, "X-CSRF-Token: forged").Expect(t, http.StatusForbidden)
		tok := cookie1.Do("POST", "/api/v1/tokens", map[string]any{"name": "script"}, "X-CSRF-Token: "+creds.CSRFToken).
			Expect(t, http.StatusCreated).Map(t)
		secret := tok["token"].(string)
		if !strings.HasPrefix(secret, "dbt_") {
			t.Errorf("token %q lacks its prefix", secret)
		}

		bearer := testutil.NewClient(t, a.HTTP)
		bearer.Token = secret
		bearer.Do("GET", "/api/v1/me", nil).Expect(t, 200)
		// Bearer writes need no CSRF token.
		bearer.Do("PATCH", "/api/v1/me", map[string]any{"time_zone": "America/New_York", "name": "Ada L."}).Expect(t, 200)
		bearer.Do("PATCH", "/api/v1/me", map[string]any{"time_zone": "Nowhere/Land"}).Expect(t, 400)
		list := bearer.Do("GET", "/api/v1/tokens", nil).Expect(t, 200)
		if strings.Contains(string(list.Body), secret) {
			t.Error("token list shows a token's secret")
		}
		bearer.Do("DELETE", "/api/v1/tokens/"+tok["id"].(string), nil).Expect(t, 204)
		bearer.Do("GET", "/api/v1/me", nil).Expect(t, 401)

		// Logout needs the CSRF token, then the session is gone.
		cookie1.Do("POST", "/api/v1/auth/logout", nil).Expect(t, 403)
		cookie1.Do("POST", "/api/v1/auth/logout", nil, "X-CSRF-Token: "+creds.CSRFToken).Expect(t, 204)
		cookie1.Do("GET", "/api/v1/me", nil).Expect(t, 401)
	})
}

func TestPasswordsAndTokensAreStoredHashed(t *testing.T) {
	a := testutil.NewApp(t, testutil.SQLite)
	c := testutil.SignUp(t, a.HTTP)
	var hash, sessionHash, tokenHash string
	row := a.DB.SQL.QueryRow(`SELECT password_hash FROM users LIMIT 1`)
	if err := row.Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Errorf("password hash %q is not argon2id", hash)
	}
	if err := a.DB.SQL.QueryRow(`SELECT token_hash FROM sessions LIMIT 1`).Scan(&sessionHash); err != nil {
		t.Fatal(err)
	}
	if err := a.DB.SQL.QueryRow(`SELECT token_hash FROM api_tokens LIMIT 1`).Scan(&tokenHash); err != nil {
		t.Fatal(err)
	}
	if sessionHash == c.Cookie || tokenHash == c.Token || len(tokenHash) != 64 || len(sessionHash) != 64 {
		t.Errorf("session/token stored in clear or not as SHA-256: %q %q", sessionHash, tokenHash)
	}
}

func TestSignupClosedAndRateLimited(t *testing.T) {
	closed := testutil.NewApp(t, testutil.SQLite, func(c *config) { c.Signup = "closed" })
	testutil.NewClient(t, closed.HTTP).Do("POST", "/api/v1/auth/signup",
		map[string]any{"email": "a@example.com", "password": "long enough password"}).Expect(t, 403)

	limited := testutil.NewApp(t, testutil.SQLite, func(c *config) { c.LoginRate = 3 })
	anon := testutil.NewClient(t, limited.HTTP)
	for i := 0; i < 3; i++ {
		anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "a@example.com", "password": "guess number " + fmt.Sprint(i)}).Expect(t, 401)
	}
	res := anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "a@example.com", "password": "guess number 4"}).Expect(t, 429)
	if res.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// Another account from the same address is held back too (its failed
	// sign-ins count per address: TestSignInAbuse).
	anon.Do("POST", "/api/v1/auth/login", map[string]any{"email": "b@example.com", "password": "guess number 1"}).Expect(t, 429)
}

// TestSecureCookie: the session cookie is Secure when the request came over
// https (directly or via a proxy's X-Forwarded-Proto) or the public URL is
// https, and never otherwise.
func TestSecureCookie(t *testing.T) {
	cases := []struct {
		name      string
		publicURL string
		headers   []string
		secure    bool
	}{
		{"plain http", "", nil, false},
		{"behind a TLS proxy", "", []string{"X-Forwarded-Proto: https"}, true},
		{"https public URL", "https://debrief.example.com", nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := testutil.NewApp(t, testutil.SQLite, func(c *config) { c.PublicURL = tc.publicURL })
			res := testutil.NewClient(t, a.HTTP).Do("POST", "/api/v1/auth/signup",
				map[string]any{"email": "s@example.com", "password": "long enough password"}, tc.headers...).Expect(t, 201)
			if got := strings.Contains(strings.ToLower(res.Header.Get("Set-Cookie")), "; secure"); got != tc.secure {
				t.Errorf("Secure = %v, want %v: %s", got, tc.secure, res.Header.Get("Set-Cookie"))
			}
		})
	}
}

// TestRevocationReachesOtherInstances: two servers share one database; a
// token revoked through one stops working on the other once the sign-in
// cache's time has passed.
func TestRevocationReachesOtherInstances(t *testing.T) {
	testutil.ForEachBackend(t, func(t *testing.T, b testutil.Backend) {
		cfg := testutil.Config(t, b)
		const ttl = 300 * time.Millisecond
		open := func() *app.App {
			a, err := app.New(context.Background(), cfg, testutil.Logger(t), app.Options{HashParams: testutil.CheapHash, AuthCacheTTL: ttl})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { a.Close() })
			return a
		}
		one, two := open(), open()
		c1 := testutil.SignUp(t, one.HTTP)
		c2 := testutil.NewClient(t, two.HTTP)
		c2.Token = c1.Token
		c2.Do("GET", "/api/v1/me", nil).Expect(t, 200)
		var tokens page[struct{ ID string }]
		c1.Do("GET", "/api/v1/tokens", nil).Expect(t, 200).JSON(t, &tokens)
		c1.Do("DELETE", "/api/v1/tokens/"+tokens.Items[0].ID, nil).Expect(t, 204)
		c1.Do("GET", "/api/v1/me", nil).Expect(t, 401) // at once where it was revoked
		time.Sleep(ttl + 100*time.Millisecond)
		c2.Do("GET", "/api/v1/me", nil).Expect(t, 401)
	})
}
