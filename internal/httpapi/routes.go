package httpapi

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/debrief-hq/debrief/api"
	"github.com/debrief-hq/debrief/web"
)

// routes is every route of the server, in one place. api/openapi.yaml
// documents each; a test fails when one is missing there.
func (s *server) routes(app *fiber.App) {
	// Public.
	app.Get("/healthz", s.healthz)
	app.Get("/readyz", s.readyz)
	if s.opts.Registry != nil {
		app.Get("/metrics", adaptor.HTTPHandler(promhttp.HandlerFor(s.opts.Registry, promhttp.HandlerOpts{})))
	}
	app.Get("/api/v1/openapi.yaml", func(c *fiber.Ctx) error {
		c.Set(fiber.HeaderContentType, "application/yaml")
		return c.Send(api.OpenAPI)
	})
	auth := app.Group("/api/v1/auth")
	auth.Get("/options", s.authOptions)
	auth.Post("/signup", s.signupLimiter(), s.signInLimiter(), s.signup)
	auth.Post("/login", s.failedSignInLimiter(), answerErrors, s.signInLimiter(), s.login)
	auth.Post("/logout", s.logout)
	// Google sends the browser back here; the sealed OAuth cookie, not a
	// session, says whose connection it is.
	app.Get("/oauth/google/callback", s.googleCallback)
	// Google's push notifications; the channel's token authenticates them.
	app.Post("/webhooks/google", s.googleWebhook)

	// Protected: everything else under /api/v1 needs a session or a token.
	v1 := app.Group("/api/v1", s.authenticate)
	// Creates replay their first response for a retried Idempotency-Key.
	// Token creation does not: its response holds the secret, which must
	// never be stored.
	idem := s.idempotency
	v1.Get("/me", s.me)
	v1.Get("/today", s.today)
	v1.Patch("/me", s.updateMe)
	v1.Get("/tokens", s.listTokens)
	v1.Post("/tokens", s.createToken)
	v1.Delete("/tokens/:id", s.deleteToken)

	v1.Get("/meetings", s.listMeetings)
	v1.Post("/meetings", idem, s.createMeeting)
	v1.Get("/meetings/next", s.nextMeeting)
	v1.Get("/meetings/:id", s.getMeeting)
	v1.Patch("/meetings/:id", s.updateMeeting)
	v1.Delete("/meetings/:id", s.deleteMeeting)
	v1.Get("/meetings/:id/export.md", s.exportMeeting)
	v1.Get("/meetings/:id/brief", s.brief)
	v1.Get("/meetings/:id/note", s.getNote(noteOnMeeting))
	v1.Put("/meetings/:id/note", s.putNote(noteOnMeeting))

	v1.Get("/people", s.listPeople)
	v1.Get("/people/:id", s.getPerson)
	v1.Patch("/people/:id", s.updatePerson)
	v1.Get("/people/:id/note", s.getNote(noteOnPerson))
	v1.Put("/people/:id/note", s.putNote(noteOnPerson))
	v1.Get("/series/:id", s.getSeries)
	v1.Patch("/series/:id", s.updateSeries)
	v1.Get("/organizations", s.listOrganizations)
	v1.Get("/organizations/:id", s.getOrganization)

	v1.Get("/action-items", s.listActionItems)
	v1.Post("/action-items", idem, s.createActionItem)
	v1.Patch("/action-items/:id", s.updateActionItem)
	v1.Get("/decisions", s.listDecisions)
	v1.Post("/decisions", idem, s.createDecision)
	v1.Patch("/decisions/:id", s.updateDecision)
	v1.Get("/questions", s.listQuestions)
	v1.Patch("/questions/:id", s.updateQuestion)

	v1.Get("/meetings/:id/recap", s.previewRecap)
	v1.Post("/meetings/:id/recap/send", s.sendRecap)
	v1.Get("/settings/reminders", s.getReminderSettings)
	v1.Put("/settings/reminders", s.putReminderSettings)
	v1.Get("/notifications", s.listNotifications)
	v1.Post("/notifications/read", s.readAllNotifications)
	v1.Post("/notifications/:id/read", s.readNotification)
	v1.Get("/webhooks", s.listWebhooks)
	v1.Post("/webhooks", s.createWebhook)
	v1.Delete("/webhooks/:id", s.deleteWebhook)

	v1.Get("/search", s.search)
	v1.Get("/events", s.events)

	v1.Get("/connections", s.listConnections)
	v1.Post("/connections/ics", idem, s.addICS)
	v1.Get("/connections/google/authorize", s.googleAuthorize)
	v1.Post(importPath[len("/api/v1"):], s.importICS)
	v1.Get("/connections/:id", s.getConnection)
	v1.Patch("/connections/:id", s.updateConnection)
	v1.Delete("/connections/:id", s.deleteConnection)
	v1.Post("/connections/:id/sync", s.syncConnection)

	// The one-click links of reminder emails: the token (signed, expiring)
	// says who and what; GET asks, POST acts.
	app.Get("/r/:token", s.linkConfirm)
	app.Post("/r/:token", s.linkAct)

	// Anything else under /api is an unknown route, not a page.
	app.All("/api/*", func(c *fiber.Ctx) error { return fiber.ErrNotFound })

	// The browser client: its files, and the app for every other path
	// (it routes with the history API).
	app.Get("/*", s.client(web.Files()))
}
