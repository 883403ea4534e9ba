package httpapi

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/debrief-hq/debrief/internal/actionitem"
	"github.com/debrief-hq/debrief/internal/decision"
	"github.com/debrief-hq/debrief/internal/question"
)

func (s *server) listActionItems(c *fiber.Ctx) error {
	if view := c.Query("view"); view != "" {
		groups, err := s.svc.ActionItems.Grouped(c.UserContext(), principal(c).User.ID, view)
		if err != nil {
			return err
		}
		return c.JSON(toAPIGroups(view, groups))
	}
	q := newQuery(c, s.userLoc(c))
	f := actionitem.Filter{Status: actionitem.Status(q.str("status")), OwnerID: q.id("owner_id"), MeetingID: q.id("meeting_id"),
		DueBefore: q.time("due_before"), DueAfter: q.time("due_after"), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.ActionItems.List(c.UserContext(), principal(c).User.ID, f)
	if err != nil {
		return err
	}
	return c.JSON(toList(res, toAPIActionItem))
}

func (s *server) createActionItem(c *fiber.Ctx) error {
	var req struct {
		Title     string            `json:"title"`
		OwnerID   *string           `json:"owner_id"`
		DueAt     *string           `json:"due_at"`
		MeetingID *string           `json:"meeting_id"`
		Status    actionitem.Status `json:"status"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t := times{loc: s.userLoc(c)}
	in := actionitem.CreateInput{Title: req.Title, OwnerID: req.OwnerID, DueAt: t.opt("due_at", req.DueAt),
		MeetingID: req.MeetingID, Status: req.Status}
	checkOptionalID(&t.errs, "owner_id", req.OwnerID)
	checkOptionalID(&t.errs, "meeting_id", req.MeetingID)
	if err := t.errs.Err(); err != nil {
		return err
	}
	a, err := s.svc.ActionItems.Create(c.UserContext(), principal(c).User.ID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toAPIActionItem(a))
}

func (s *server) updateActionItem(c *fiber.Ctx) error {
	id, err := pathID(c, "action item")
	if err != nil {
		return err
	}
	var req struct {
		Title    *string            `json:"title"`
		Status   *actionitem.Status `json:"status"`
		OwnerID  Nullable[string]   `json:"owner_id"`
		DueAt    Nullable[string]   `json:"due_at"`
		RemindAt Nullable[string]   `json:"remind_at"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t := times{loc: s.userLoc(c)}
	in := actionitem.UpdateInput{Title: req.Title, Status: req.Status, OwnerID: req.OwnerID.ptr(), ClearOwner: req.OwnerID.Null,
		DueAt: t.opt("due_at", req.DueAt.ptr()), ClearDue: req.DueAt.Null,
		RemindAt: t.opt("remind_at", req.RemindAt.ptr()), ClearRemind: req.RemindAt.Null}
	checkOptionalID(&t.errs, "owner_id", in.OwnerID)
	if err := t.errs.Err(); err != nil {
		return err
	}
	a, err := s.svc.ActionItems.Update(c.UserContext(), principal(c).User.ID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(toAPIActionItem(a))
}

func (s *server) listDecisions(c *fiber.Ctx) error {
	q := newQuery(c, s.userLoc(c))
	f := decision.Filter{MeetingID: q.id("meeting_id"), PersonID: q.id("person_id"), Current: q.str("current") == "true", Page: q.page()}
	if v := q.str("current"); v != "" && v != "true" && v != "false" {
		q.errs.Add("current", "must be true or false")
	}
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.Decisions.List(c.UserContext(), principal(c).User.ID, f)
	if err != nil {
		return err
	}
	return c.JSON(toList(res, toAPIDecision))
}

func (s *server) createDecision(c *fiber.Ctx) error {
	var req struct {
		Text      string   `json:"text"`
		DecidedAt *string  `json:"decided_at"`
		MeetingID *string  `json:"meeting_id"`
		PersonIDs []string `json:"person_ids"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t := times{loc: s.userLoc(c)}
	in := decision.CreateInput{Text: req.Text, DecidedAt: t.opt("decided_at", req.DecidedAt), MeetingID: req.MeetingID, PersonIDs: req.PersonIDs}
	checkOptionalID(&t.errs, "meeting_id", req.MeetingID)
	for i := range req.PersonIDs {
		checkOptionalID(&t.errs, "person_ids", &req.PersonIDs[i])
	}
	if err := t.errs.Err(); err != nil {
		return err
	}
	d, err := s.svc.Decisions.Create(c.UserContext(), principal(c).User.ID, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(toAPIDecision(d))
}

func (s *server) updateDecision(c *fiber.Ctx) error {
	id, err := pathID(c, "decision")
	if err != nil {
		return err
	}
	var req struct {
		Text           *string          `json:"text"`
		DecidedAt      *string          `json:"decided_at"`
		SupersededByID Nullable[string] `json:"superseded_by_id"`
		PersonIDs      *[]string        `json:"person_ids"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t := times{loc: s.userLoc(c)}
	in := decision.UpdateInput{Text: req.Text, DecidedAt: t.opt("decided_at", req.DecidedAt),
		SupersededByID: req.SupersededByID.ptr(), ClearSupersededBy: req.SupersededByID.Null, PersonIDs: req.PersonIDs}
	checkOptionalID(&t.errs, "superseded_by_id", in.SupersededByID)
	if req.PersonIDs != nil {
		for i := range *req.PersonIDs {
			checkOptionalID(&t.errs, "person_ids", &(*req.PersonIDs)[i])
		}
	}
	if err := t.errs.Err(); err != nil {
		return err
	}
	d, err := s.svc.Decisions.Update(c.UserContext(), principal(c).User.ID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(toAPIDecision(d))
}

func (s *server) listQuestions(c *fiber.Ctx) error {
	q := newQuery(c, s.userLoc(c))
	f := question.Filter{Status: question.Status(q.str("status")), MeetingID: q.id("meeting_id"), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	res, err := s.svc.Questions.List(c.UserContext(), principal(c).User.ID, f)
	if err != nil {
		return err
	}
	return c.JSON(toList(res, toAPIQuestion))
}

func (s *server) updateQuestion(c *fiber.Ctx) error {
	id, err := pathID(c, "question")
	if err != nil {
		return err
	}
	var req struct {
		Text     *string          `json:"text"`
		Status   *question.Status `json:"status"`
		RemindAt Nullable[string] `json:"remind_at"`
		Answer   Nullable[string] `json:"answer"`
	}
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t := times{loc: s.userLoc(c)}
	in := question.UpdateInput{Text: req.Text, Status: req.Status, RemindAt: t.opt("remind_at", req.RemindAt.ptr()), ClearRemind: req.RemindAt.Null,
		Answer: req.Answer.ptr()}
	if req.Answer.Null {
		none := ""
		in.Answer = &none
	}
	if err := t.errs.Err(); err != nil {
		return err
	}
	q, err := s.svc.Questions.Update(c.UserContext(), principal(c).User.ID, id, in)
	if err != nil {
		return err
	}
	return c.JSON(toAPIQuestion(q))
}

type apiPersonRef struct {
	PersonID string `json:"person_id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

type apiActionItem struct {
	ID          string        `json:"id"`
	Title       string        `json:"title"`
	Status      string        `json:"status"`
	Owner       *apiPersonRef `json:"owner"`
	DueAt       *time.Time    `json:"due_at"`
	MeetingID   *string       `json:"meeting_id"`
	CreatedAt   time.Time     `json:"created_at"`
	CompletedAt *time.Time    `json:"completed_at"`
	RemindAt    *time.Time    `json:"remind_at"`
	NextMeeting bool          `json:"next_meeting"`
	InNote      bool          `json:"in_note"`
	PersonID    *string       `json:"person_id"`
}

func toAPIActionItem(a actionitem.Item) apiActionItem {
	out := apiActionItem{ID: a.ID, Title: a.Title, Status: string(a.Status), DueAt: a.DueAt, MeetingID: a.MeetingID,
		CreatedAt: a.CreatedAt, CompletedAt: a.CompletedAt, RemindAt: a.RemindAt, NextMeeting: a.NextMeeting, InNote: a.InNote, PersonID: a.PersonID}
	if a.Owner != nil {
		out.Owner = &apiPersonRef{PersonID: a.Owner.PersonID, Name: a.Owner.Name, Email: a.Owner.Email}
	}
	return out
}

type apiGroup struct {
	Person *apiPersonRef   `json:"person"`
	Items  []apiActionItem `json:"items"`
}

type apiGrouped struct {
	View   string     `json:"view"`
	Groups []apiGroup `json:"groups"`
}

func toAPIGroups(view string, gs []actionitem.Group) apiGrouped {
	return apiGrouped{View: view, Groups: mapAll(gs, func(g actionitem.Group) apiGroup {
		out := apiGroup{Items: mapAll(g.Items, toAPIActionItem)}
		if g.Person != nil {
			out.Person = &apiPersonRef{PersonID: g.Person.PersonID, Name: g.Person.Name, Email: g.Person.Email}
		}
		return out
	})}
}

type apiDecision struct {
	ID             string         `json:"id"`
	Text           string         `json:"text"`
	DecidedAt      time.Time      `json:"decided_at"`
	MeetingID      *string        `json:"meeting_id"`
	SupersededByID *string        `json:"superseded_by_id"`
	People         []apiPersonRef `json:"people"`
	CreatedAt      time.Time      `json:"created_at"`
	InNote         bool           `json:"in_note"`
	PersonID       *string        `json:"person_id"`
}

func toAPIDecision(d decision.Decision) apiDecision {
	return apiDecision{ID: d.ID, Text: d.Text, DecidedAt: d.DecidedAt, MeetingID: d.MeetingID,
		SupersededByID: d.SupersededByID, CreatedAt: d.CreatedAt, InNote: d.InNote, PersonID: d.PersonID,
		People: mapAll(d.People, func(p decision.PersonRef) apiPersonRef {
			return apiPersonRef{PersonID: p.PersonID, Name: p.Name, Email: p.Email}
		})}
}

type apiQuestion struct {
	ID         string     `json:"id"`
	Text       string     `json:"text"`
	Status     string     `json:"status"`
	MeetingID  *string    `json:"meeting_id"`
	CreatedAt  time.Time  `json:"created_at"`
	AnsweredAt *time.Time `json:"answered_at"`
	RemindAt   *time.Time `json:"remind_at"`
	InNote     bool       `json:"in_note"`
	PersonID   *string    `json:"person_id"`
	Answer     *string    `json:"answer"`
}

func toAPIQuestion(q question.Question) apiQuestion {
	return apiQuestion{ID: q.ID, Text: q.Text, Status: string(q.Status), MeetingID: q.MeetingID, CreatedAt: q.CreatedAt,
		AnsweredAt: q.AnsweredAt, RemindAt: q.RemindAt, InNote: q.InNote, PersonID: q.PersonID, Answer: q.Answer}
}
