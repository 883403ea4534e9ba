package httpapi

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/apperr"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Detail string              `json:"detail"`
	Errors []apperr.FieldError `json:"errors,omitempty"`
}

// problemTypes gives each kind its stable type URI and status.
var problemTypes = map[apperr.Kind]struct {
	slug   string
	status int
}{
	apperr.KindInvalid:            {"invalid-input", http.StatusBadRequest},
	apperr.KindNotFound:           {"not-found", http.StatusNotFound},
	apperr.KindConflict:           {"conflict", http.StatusConflict},
	apperr.KindPreconditionFailed: {"stale-version", http.StatusPreconditionFailed},
	apperr.KindUnauthenticated:    {"unauthenticated", http.StatusUnauthorized},
	apperr.KindForbidden:          {"forbidden", http.StatusForbidden},
	apperr.KindRateLimited:        {"rate-limited", http.StatusTooManyRequests},
	apperr.KindUnavailable:        {"unavailable", http.StatusServiceUnavailable},
	apperr.KindUpstream:           {"upstream", http.StatusBadGateway},
	apperr.KindUnsupportedMedia:   {"unsupported-media-type", http.StatusUnsupportedMediaType},
	apperr.KindInternal:           {"internal", http.StatusInternalServerError},
}

// statusSlugs names problems that come from the HTTP layer rather than a
// service (unknown route, wrong method, body too large, …).
var statusSlugs = map[int]string{
	http.StatusNotFound:              "not-found",
	http.StatusMethodNotAllowed:      "method-not-allowed",
	http.StatusRequestEntityTooLarge: "body-too-large",
	http.StatusUnsupportedMediaType:  "unsupported-media-type",
	http.StatusBadRequest:            "bad-request",
	http.StatusTooManyRequests:       "rate-limited",
	http.StatusRequestTimeout:        "timeout",
}

func problemType(slug string) string { return "urn:debrief:problem:" + slug }

// errorHandler is Fiber's one ErrorHandler: every error becomes problem+json.
func errorHandler(log *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		p := toProblem(err)
		if p.Status >= 500 {
			log.Error("request failed", "method", c.Method(), "path", c.Path(), "status", p.Status, "err", err)
		}
		if p.Status == http.StatusTooManyRequests && c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
			c.Set(fiber.HeaderRetryAfter, "60")
		}
		return writeProblem(c, p)
	}
}

func toProblem(err error) Problem {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		slug, ok := statusSlugs[fe.Code]
		if !ok {
			slug = "http-" + strconv.Itoa(fe.Code)
		}
		detail := fe.Message
		switch fe.Code {
		case http.StatusNotFound:
			detail = "no such route; see /api/v1/openapi.yaml for the API"
		case http.StatusRequestEntityTooLarge:
			detail = "the request body is larger than this server accepts (see DEBRIEF_BODY_LIMIT)"
		}
		if fe.Code >= 500 {
			detail = "internal error"
		}
		return Problem{Type: problemType(slug), Title: http.StatusText(fe.Code), Status: fe.Code, Detail: detail}
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		ae = apperr.Internal(err)
	}
	pt := problemTypes[ae.Kind]
	detail := ae.Message
	if pt.status >= 500 && ae.Kind == apperr.KindInternal {
		detail = "internal error; the server log has the details"
	}
	return Problem{Type: problemType(pt.slug), Title: http.StatusText(pt.status), Status: pt.status, Detail: detail, Errors: ae.Fields}
}

func writeProblem(c *fiber.Ctx, p Problem) error {
	c.Status(p.Status)
	if err := c.JSON(p); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return nil
}
