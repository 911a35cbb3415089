/*
 * expr.c - formulas over metrics: "aov = revenue / orders",
 * "margin = (revenue - cost) / revenue", "x = max(0, a - b)".
 *
 *   expr    = term { ("+" | "-") term }
 *   term    = unary { ("*" | "/") unary }
 *   unary   = { "+" | "-" } primary
 *   primary = number | name | "(" expr ")"
 *           | ("min" | "max") "(" expr { "," expr } ")" | "abs" "(" expr ")"
 *   number  = digits ["." [digits]] | "." digits, then [("e"|"E") ["+"|"-"] digits]
 *   name    = [A-Za-z_][A-Za-z0-9_]*, case-sensitive, not min, max or abs
 *
 * Binary operators are left-associative; whitespace may go anywhere between
 * tokens.  There is no "^": a power of a KPI is rare enough that a typo is
 * the likelier reading.
 *
 * kpi_expr_parse compiles the formula once, by recursive descent, into
 * reverse Polish code; kpi_expr_eval runs it once per period and group
 * with a stack on its own frame, so evaluation never allocates.  min and max
 * of n arguments compile to n - 1 two-operand steps, so the stack stays as
 * deep as the nesting, whatever the number of arguments.
 *
 * Null: a KPI with a missing input is unknown, never silently some other
 * value, so any null operand makes the result null, inside min and max
 * too (max(0, null) is null, not 0).  A division by zero and any value
 * that is not finite, on the way or at the end, are null as well.  Inside
 * the evaluator null is a NaN: IEEE arithmetic then carries it through every
 * operator for free, and only min, max and division need a test.
 *
 * The conditions of count_if and share_if use the same tokens:
 *
 *   cond    = name [ ("<" | "<=" | ">" | ">=" | "==" | "!=") { "+" | "-" } number ]
 *
 * A condition tests one field of a row, not metrics, so it has no
 * arithmetic: "score >= 9" is exact where "score - 9 >= 0" would invite
 * rounding.  Without a comparison the field is a boolean or a number.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate/aggregate.h"

#define MAXNEST		64	/* parentheses and calls inside each other */
#define MAXNUM		64	/* longest number, bytes */
#define MAXSTACK	256	/* evaluation stack; 3 per nesting level suffice */
#define SHOWMAX		64	/* longest token quoted in a message */

enum opcode {
	OP_NUM, OP_REF, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NEG, OP_ABS,
	OP_MIN, OP_MAX
};

struct op {
	enum opcode code;
	size_t ref;		/* OP_REF: index into vals and isnull */
	double num;		/* OP_NUM */
};

struct kpi_expr {
	struct op *ops;
	size_t nops;
	char **refs;		/* the names, first-use order; owned */
	size_t nrefs;
	size_t depth;		/* the most values the stack holds */
};

enum tokkind {
	T_END, T_NUM, T_NAME, T_LPAREN, T_RPAREN, T_COMMA, T_PLUS, T_MINUS,
	T_STAR, T_SLASH, T_OTHER
};

struct tok {
	enum tokkind kind;
	size_t off;		/* byte offset in the formula */
	size_t len;
	double num;		/* T_NUM */
};

struct parser {
	const char *s;
	size_t pos;		/* where the lexer goes on */
	struct tok tok;		/* the current token */
	int nest;
	size_t opcap;
	size_t refcap;
	size_t sp;		/* stack depth of the code so far */
	struct kpi_expr *e;
	struct kpi_err *err;
};

static const struct {
	const char *name;
	enum opcode code;
} funcs[] = {
	{ "abs", OP_ABS }, { "max", OP_MAX }, { "min", OP_MIN }
};

static int parse_expr(struct parser *);

/*
 * Sets the message and the column only: the caller knows the file and the
 * line the formula came from and fills them in, before or after.
 */
static int
fail(struct parser *p, size_t off, const char *fmt, ...)
{
	va_list ap;

	p->err->col = off + 1;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ASCII classes by hand: <ctype.h> depends on the locale. */
static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_name(int c)
{
	return is_name_start(c) || is_digit(c);
}

/* The length of the UTF-8 character at s, or 0 when it is not valid. */
static size_t
utf8_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	size_t n;

	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	return kpi_utf8_valid_prefix(s, strnlen(s, n)) >= n ? n : 0;
}

/*
 * Takes the number at tok.off.  Everything a number could run on into
 * (letters, digits, dots, a sign after an exponent mark) is taken as one
 * token first, as C's preprocessor does, so that "1.2.3", "2x" and "1e"
 * are reported whole rather than as a number and something unexpected.
 */
static int
lex_num(struct parser *p)
{
	const char *t = p->s + p->tok.off;
	char buf[MAXNUM + 1];
	size_t n, i, digits = 0, edigits = 1;

	for (n = 0; is_name(t[n]) || t[n] == '.' || ((t[n] == '+' ||
	    t[n] == '-') && (t[n - 1] == 'e' || t[n - 1] == 'E')); n++)
		continue;
	if (n > MAXNUM)
		return fail(p, p->tok.off, "number too long");
	for (i = 0; is_digit(t[i]); i++)
		digits++;
	if (t[i] == '.')
		for (i++; is_digit(t[i]); i++)
			digits++;
	if (t[i] == 'e' || t[i] == 'E') {
		i += t[i + 1] == '+' || t[i + 1] == '-' ? 2 : 1;
		for (edigits = 0; is_digit(t[i]); i++)
			edigits++;
	}
	if (digits == 0 || edigits == 0 || i != n)
		return fail(p, p->tok.off, "bad number '%.*s'", (int)n, t);
	memcpy(buf, t, n);
	buf[n] = '\0';
	p->tok.num = strtod(buf, NULL);
	if (!isfinite(p->tok.num))
		return fail(p, p->tok.off, "number out of range '%s'", buf);
	p->tok.len = n;
	return 0;
}

/* Moves to the next token.  Returns 0, or -1 for a bad number. */
static int
lex(struct parser *p)
{
	static const char punct[] = "(),+-*/";
	static const enum tokkind pkind[] = {
		T_LPAREN, T_RPAREN, T_COMMA, T_PLUS, T_MINUS, T_STAR, T_SLASH
	};
	const char *s = p->s, *q;
	size_t i;

	while (is_space(s[p->pos]))
		p->pos++;
	p->tok.off = i = p->pos;
	p->tok.len = 1;
	if (s[i] == '\0') {
		p->tok.kind = T_END;
		p->tok.len = 0;
	} else if (is_digit(s[i]) || (s[i] == '.' && is_digit(s[i + 1]))) {
		p->tok.kind = T_NUM;
		if (lex_num(p) != 0)
			return -1;
	} else if (is_name_start(s[i])) {
		p->tok.kind = T_NAME;
		while (is_name(s[i + p->tok.len]))
			p->tok.len++;
	} else if ((q = strchr(punct, s[i])) != NULL) {
		p->tok.kind = pkind[q - punct];
	} else {
		p->tok.kind = T_OTHER;
		if ((unsigned char)s[i] >= 0x80 && utf8_len(s + i) > 0)
			p->tok.len = utf8_len(s + i);
	}
	p->pos += p->tok.len;
	return 0;
}

/* Reports the current token as out of place. */
static int
unexpected(struct parser *p)
{
	const struct tok *t = &p->tok;
	unsigned char c = (unsigned char)p->s[t->off];

	if (t->kind == T_END)
		return fail(p, t->off, "unexpected end of formula");
	if (t->kind == T_OTHER && t->len == 1 && (c < 0x20 || c >= 0x7F))
		return fail(p, t->off, "unexpected byte 0x%02x", c);
	return fail(p, t->off, "unexpected '%.*s'",
	    (int)(t->len < SHOWMAX ? t->len : SHOWMAX), p->s + t->off);
}

/* Appends one step, keeping count of how deep the stack gets. */
static void
emit(struct parser *p, enum opcode code, size_t ref, double num)
{
	struct kpi_expr *e = p->e;

	if (e->nops == p->opcap) {
		p->opcap = p->opcap ? 2 * p->opcap : 16;
		e->ops = kpi_xrealloc(e->ops, p->opcap * sizeof(*e->ops));
	}
	e->ops[e->nops].code = code;
	e->ops[e->nops].ref = ref;
	e->ops[e->nops].num = num;
	e->nops++;
	if (code == OP_NUM || code == OP_REF)
		p->sp++;
	else if (code != OP_NEG && code != OP_ABS)
		p->sp--;
	if (p->sp > e->depth)
		e->depth = p->sp;
}

/* The index of the name s[0..n), added at the end when it is new. */
static size_t
ref_index(struct parser *p, const char *s, size_t n)
{
	struct kpi_expr *e = p->e;
	size_t i;

	for (i = 0; i < e->nrefs; i++)
		if (strncmp(e->refs[i], s, n) == 0 && e->refs[i][n] == '\0')
			return i;
	if (e->nrefs == p->refcap) {
		p->refcap = p->refcap ? 2 * p->refcap : 8;
		e->refs = kpi_xrealloc(e->refs, p->refcap * sizeof(*e->refs));
	}
	e->refs[e->nrefs] = kpi_xmemdup(s, n);
	return e->nrefs++;
}

/* Takes the "(" at the current token, one nesting level deeper. */
static int
open_paren(struct parser *p)
{
	if (p->tok.kind != T_LPAREN)
		return unexpected(p);
	if (++p->nest > MAXNEST)
		return fail(p, p->tok.off, "nesting deeper than %d", MAXNEST);
	return lex(p);
}

/*
 * Takes the ")" that closes the "(" at offset open.  At the end of the
 * formula the "(" is the thing to point at; anything else in the way is
 * simply unexpected.
 */
static int
close_paren(struct parser *p, size_t open)
{
	if (p->tok.kind == T_END)
		return fail(p, open, "missing ')'");
	if (p->tok.kind != T_RPAREN)
		return unexpected(p);
	p->nest--;
	return lex(p);
}

/* A call of function f, whose name is the current token. */
static int
parse_call(struct parser *p, size_t f)
{
	const char *name = funcs[f].name;
	size_t open;

	if (lex(p) != 0)
		return -1;
	open = p->tok.off;
	if (open_paren(p) != 0 || parse_expr(p) != 0)
		return -1;
	if (funcs[f].code == OP_ABS) {
		if (p->tok.kind == T_COMMA)
			return fail(p, p->tok.off,
			    "'%s' takes one argument", name);
		emit(p, OP_ABS, 0, 0);
	}
	while (funcs[f].code != OP_ABS && p->tok.kind == T_COMMA) {
		if (lex(p) != 0 || parse_expr(p) != 0)
			return -1;
		emit(p, funcs[f].code, 0, 0);
	}
	return close_paren(p, open);
}

/* A name: a metric, or a function when a "(" follows. */
static int
parse_name(struct parser *p)
{
	const char *s = p->s + p->tok.off;
	size_t i, n = p->tok.len, next = p->pos;
	int call;

	while (is_space(p->s[next]))
		next++;
	call = p->s[next] == '(';
	for (i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
		if (strncmp(funcs[i].name, s, n) != 0 ||
		    funcs[i].name[n] != '\0')
			continue;
		if (!call)
			return fail(p, p->tok.off, "'%s' is a function",
			    funcs[i].name);
		return parse_call(p, i);
	}
	if (call)
		return fail(p, p->tok.off, "unknown function '%.*s'",
		    (int)(n < SHOWMAX ? n : SHOWMAX), s);
	emit(p, OP_REF, ref_index(p, s, n), 0);
	return lex(p);
}

static int
parse_primary(struct parser *p)
{
	size_t open;

	switch (p->tok.kind) {
	case T_NUM:
		emit(p, OP_NUM, 0, p->tok.num);
		return lex(p);
	case T_NAME:
		return parse_name(p);
	case T_LPAREN:
		open = p->tok.off;
		if (open_paren(p) != 0 || parse_expr(p) != 0)
			return -1;
		return close_paren(p, open);
	default:
		return unexpected(p);
	}
}

/*
 * Signs are counted in a loop rather than by recursion, so "------1" costs
 * no stack; a negated constant is folded into the constant.
 */
static int
parse_unary(struct parser *p)
{
	struct op *last;
	int neg = 0;

	while (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS) {
		neg ^= p->tok.kind == T_MINUS;
		if (lex(p) != 0)
			return -1;
	}
	if (parse_primary(p) != 0)
		return -1;
	if (!neg)
		return 0;
	/* Code that ends in a constant is that constant alone. */
	last = &p->e->ops[p->e->nops - 1];
	if (last->code == OP_NUM)
		last->num = -last->num;
	else
		emit(p, OP_NEG, 0, 0);
	return 0;
}

static int
parse_term(struct parser *p)
{
	enum opcode code;

	if (parse_unary(p) != 0)
		return -1;
	while (p->tok.kind == T_STAR || p->tok.kind == T_SLASH) {
		code = p->tok.kind == T_STAR ? OP_MUL : OP_DIV;
		if (lex(p) != 0 || parse_unary(p) != 0)
			return -1;
		emit(p, code, 0, 0);
	}
	return 0;
}

static int
parse_expr(struct parser *p)
{
	enum opcode code;

	if (parse_term(p) != 0)
		return -1;
	while (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS) {
		code = p->tok.kind == T_PLUS ? OP_ADD : OP_SUB;
		if (lex(p) != 0 || parse_term(p) != 0)
			return -1;
		emit(p, code, 0, 0);
	}
	return 0;
}

/*
 * On error only err->msg and err->col are set; err->file and err->line are
 * left for the caller, who knows where the formula was written.
 */
struct kpi_expr *
kpi_expr_parse(const char *s, struct kpi_err *err)
{
	struct parser p;

	memset(&p, 0, sizeof(p));
	p.s = s;
	p.err = err;
	p.e = kpi_xmalloc(sizeof(*p.e));
	memset(p.e, 0, sizeof(*p.e));
	if (lex(&p) != 0)
		goto out_free;
	if (p.tok.kind == T_END) {
		fail(&p, 0, "empty formula");
		goto out_free;
	}
	if (parse_expr(&p) != 0)
		goto out_free;
	if (p.tok.kind != T_END) {
		unexpected(&p);
		goto out_free;
	}
	/* The nesting limit keeps the depth under 3 * (MAXNEST + 1) + 1. */
	if (p.e->depth > MAXSTACK) {
		fail(&p, 0, "formula too complex");
		goto out_free;
	}
	return p.e;
out_free:
	kpi_expr_free(p.e);
	return NULL;
}

void
kpi_expr_free(struct kpi_expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nrefs; i++)
		free(e->refs[i]);
	free(e->refs);
	free(e->ops);
	free(e);
}

size_t
kpi_expr_nrefs(const struct kpi_expr *e)
{
	return e->nrefs;
}

const char *
kpi_expr_ref(const struct kpi_expr *e, size_t i)
{
	return i < e->nrefs ? e->refs[i] : NULL;
}

/* ---- conditions: count_if(score >= 9) ---- */

static const struct {
	const char *text;
	int op;
} cmps[] = {
	{ "<=", KPI_COND_LE }, { ">=", KPI_COND_GE }, { "==", KPI_COND_EQ },
	{ "!=", KPI_COND_NE }, { "<", KPI_COND_LT }, { ">", KPI_COND_GT }
};

/*
 * The comparison at the current token, which the lexer took as one byte
 * of T_OTHER: its operator, with the parser moved past it, or -1.
 */
static int
cond_cmp(struct parser *p)
{
	const char *s = p->s + p->tok.off;
	size_t i, n;

	for (i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		n = strlen(cmps[i].text);
		if (strncmp(s, cmps[i].text, n) == 0) {
			p->pos = p->tok.off + n;
			return cmps[i].op;
		}
	}
	if (s[0] == '=')
		return fail(p, p->tok.off, "'=' is not a comparison: write "
		    "'=='");
	return fail(p, p->tok.off, "expected a comparison (<, <=, >, >=, "
	    "==, !=) or the end of the condition");
}

/* The number after a comparison, with its signs. */
static int
cond_num(struct parser *p, double *x)
{
	int neg = 0;

	if (lex(p) != 0)
		return -1;
	while (p->tok.kind == T_PLUS || p->tok.kind == T_MINUS) {
		neg ^= p->tok.kind == T_MINUS;
		if (lex(p) != 0)
			return -1;
	}
	if (p->tok.kind != T_NUM)
		return p->tok.kind == T_END ? fail(p, p->tok.off, "expected "
		    "a number") : unexpected(p);
	*x = neg ? -p->tok.num : p->tok.num;
	if (*x == 0)
		*x = 0;		/* no -0 */
	return lex(p);
}

/* The condition in p->s: the field into *field; caller frees. */
static int
cond_parse(struct parser *p, char **field, struct kpi_cond *c)
{
	int op;

	if (lex(p) != 0)
		return -1;
	if (p->tok.kind == T_END)
		return fail(p, 0, "empty condition");
	if (p->tok.kind != T_NAME)
		return unexpected(p);
	*field = kpi_xmemdup(p->s + p->tok.off, p->tok.len);
	if (lex(p) != 0)
		return -1;
	if (p->tok.kind == T_END)
		return 0;
	if ((op = cond_cmp(p)) < 0 || cond_num(p, &c->x) != 0)
		return -1;
	c->op = op;
	return p->tok.kind == T_END ? 0 : unexpected(p);
}

int
kpi_cond_parse(const char *s, size_t n, char **field, struct kpi_cond *c,
    struct kpi_err *err)
{
	struct parser p;
	char *t = kpi_xmemdup(s, n);
	int rc;

	memset(&p, 0, sizeof(p));
	p.s = t;
	p.err = err;
	*field = NULL;
	c->op = KPI_COND_TRUE;
	c->x = 0;
	if ((rc = cond_parse(&p, field, c)) != 0) {
		free(*field);
		*field = NULL;
	}
	free(t);
	return rc;
}

int
kpi_cond_test(const struct kpi_cond *c, const struct kpi_val *v)
{
	double x;

	if (c->op == KPI_COND_TRUE &&
	    (v->type == KPI_TRUE || v->type == KPI_FALSE))
		return v->type == KPI_TRUE;
	if (v->type != KPI_NUM || !isfinite(v->num))
		return -1;
	x = v->num;
	switch (c->op) {
	case KPI_COND_TRUE:
		return x != 0;
	case KPI_COND_LT:
		return x < c->x;
	case KPI_COND_LE:
		return x <= c->x;
	case KPI_COND_GT:
		return x > c->x;
	case KPI_COND_GE:
		return x >= c->x;
	case KPI_COND_EQ:
		return x == c->x;
	default:
		return x != c->x;
	}
}

/* Null, as the evaluator carries it, for anything not finite. */
static double
fin(double x)
{
	return isfinite(x) ? x : NAN;
}

/* The two-operand steps: a op b, with null (NaN) in, null out. */
static double
binop(enum opcode code, double a, double b)
{
	if (isnan(a) || isnan(b))
		return NAN;
	switch (code) {
	case OP_ADD:
		return fin(a + b);
	case OP_SUB:
		return fin(a - b);
	case OP_MUL:
		return fin(a * b);
	case OP_DIV:
		return b == 0 ? NAN : fin(a / b);
	case OP_MIN:
		return b < a ? b : a;
	default:
		return b > a ? b : a;
	}
}

int
kpi_expr_eval(const struct kpi_expr *e, const double *vals,
    const unsigned char *isnull, double *out)
{
	double st[MAXSTACK];
	const struct op *op, *end = e->ops + e->nops;
	size_t sp = 0;

	for (op = e->ops; op < end; op++) {
		switch (op->code) {
		case OP_NUM:
			st[sp++] = op->num;
			break;
		case OP_REF:
			st[sp++] = isnull[op->ref] ? NAN : fin(vals[op->ref]);
			break;
		case OP_NEG:
			st[sp - 1] = -st[sp - 1];
			break;
		case OP_ABS:
			st[sp - 1] = fabs(st[sp - 1]);
			break;
		default:
			sp--;
			st[sp - 1] = binop(op->code, st[sp - 1], st[sp]);
			break;
		}
	}
	if (isnan(st[0]))
		return 0;
	/* -0 is an artefact of the arithmetic, not a value anyone meant. */
	*out = st[0] == 0 ? 0 : st[0];
	return 1;
}
