//! Bounds on a JSONPath QUERY body, checked by one linear scan of the text before the
//! expression is handed to the JSONPath parser.
//!
//! Why it is needed: the parser recurses once per bracket or parenthesis (900 nested
//! parentheses overflow the stack and abort the process), re-parses a query that sits
//! inside a filter about twice for every filter around it (24 nested `@[?` take a
//! minute), and evaluation multiplies: a filter inside a filter runs its inner query
//! for every candidate node, so `$..[?$..[?$..[?…]]]` costs the document's node count
//! to the power of its nesting. The scan refuses, with a 400 and a clear message:
//!
//! * more than [`MAX_NESTING`] brackets and parentheses inside one another (keeps the
//!   parser's recursion shallow);
//! * more than [`MAX_FILTER_NESTING`] filters inside one another (keeps its
//!   re-parsing to a small constant factor);
//! * an expression whose evaluation cost, bounded from above, exceeds [`MAX_COST`].
//!
//! The cost bound counts node visits. It relies on the shape of the document every
//! JSONPath QUERY runs over, `{"todos":[{id,title,doneStatus,description}…]}`: with
//! `t` todos no node has more than `max(t, 4)` children (the fan-out), there are
//! `2 + 5t` nodes, and a query never gets deeper than 3 levels, so only its first
//! three segments can select anything: from then on it holds scalars, and each further
//! segment costs one visit per node held. Per segment, a query holding `list` nodes:
//!
//! * `.name` or `[name]`/`[index]` selectors: each node gives at most one;
//! * `.*`, `[*]`, a slice or a filter: at most fan-out nodes each; a filter also
//!   evaluates its expression once per candidate;
//! * descendant segments (`..x`, `..[…]`): every node of a subtree, at most all of them.
//!
//! The scan itself uses an explicit stack (never recursion), so it costs one pass
//! whatever the client sends.

/// Deepest nesting of brackets and parentheses, together.
pub const MAX_NESTING: usize = 16;
/// Deepest nesting of filters (`[?…]`) inside filters. One is the usual
/// `$.todos[?(@.doneStatus==true)]`.
pub const MAX_FILTER_NESTING: usize = 3;
/// Most node visits an expression may need, bounded from above (a few milliseconds).
pub const MAX_COST: u64 = 250_000;

pub const TOO_DEEP: &str =
    "JSONPath expression nested too deeply: at most 16 levels of brackets and parentheses";
pub const TOO_MANY_FILTERS: &str =
    "JSONPath filters nested too deeply: at most 3 filters inside one another";
pub const TOO_COSTLY: &str = "JSONPath query too costly to evaluate: use fewer descendant segments, wildcards or nested filters";

/// How many segments of a query can select anything (the document's depth).
const DOCUMENT_DEPTH: u32 = 3;

/// Check `expr`, to be run over `todo_count` todos; `Err` holds the 400 message.
pub fn check(expr: &str, todo_count: usize) -> Result<(), &'static str> {
    let todos = todo_count as u64;
    let shape = Shape {
        fan_out: todos.max(4),
        nodes: todos.saturating_mul(5).saturating_add(2),
    };
    Scan::new(shape).run(expr.as_bytes())
}

#[derive(Clone, Copy)]
struct Shape {
    fan_out: u64,
    nodes: u64,
}

/// A query (`$…` or `@…`) being read: how many nodes it can hold and what reaching
/// them cost so far.
#[derive(Clone, Copy)]
struct Query {
    list: u64,
    work: u64,
    segments: u32,
    /// Starts at the root (`$`) rather than at the filter's candidate (`@`).
    absolute: bool,
}

impl Query {
    fn start(absolute: bool) -> Query {
        Query {
            list: 1,
            work: 1,
            segments: 0,
            absolute,
        }
    }

    /// Apply a segment that gives at most `out` nodes and costs `each` per node held.
    fn segment(&mut self, out: u64, each: u64) {
        if self.segments < DOCUMENT_DEPTH {
            self.work = self.work.saturating_add(self.list.saturating_mul(each));
            self.list = self.list.saturating_mul(out);
        } else {
            // Only scalars are left: one visit each, nothing selected.
            self.work = self.work.saturating_add(self.list);
        }
        self.segments += 1;
    }

    /// What evaluating it costs: reaching its nodes, handing them over, and comparing
    /// what it found with something else, which walks the whole value: `$ == $`
    /// compares the entire document. The root and the todos array hold every node; a
    /// candidate (`@`) is at least the todos array; anything a level further down is
    /// one todo or a field (at most 5 nodes).
    fn cost(self, shape: Shape) -> u64 {
        let top_levels = if self.absolute { 2 } else { 1 };
        let reach = if self.segments < top_levels {
            shape.nodes
        } else {
            5
        };
        self.work.saturating_add(self.list).saturating_add(reach)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Top,
    Paren,
    /// A segment's selectors; `descendant` for `..[…]`; `attached` when it extends
    /// the query before it (otherwise it is not valid JSONPath, but is still counted).
    Bracket {
        descendant: bool,
        attached: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Selector {
    /// A name or an index: at most one node per node held.
    Narrow,
    /// `*` or a slice: up to fan-out nodes.
    Wide,
    /// `?…`: up to fan-out nodes, each evaluated against the expression.
    Filter,
}

/// One level of brackets or parentheses.
struct Frame {
    kind: Kind,
    /// The query being extended at this level.
    query: Option<Query>,
    /// Cost of the finished queries and sub-expressions at this level (for a bracket:
    /// of its filter expressions, paid once per candidate).
    cost: u64,
    /// Bracket only: the selector being read, and if it has started.
    selector: Selector,
    selector_started: bool,
    narrow: u64,
    wide: u64,
}

impl Frame {
    fn new(kind: Kind) -> Frame {
        Frame {
            kind,
            query: None,
            cost: 0,
            selector: Selector::Narrow,
            selector_started: false,
            narrow: 0,
            wide: 0,
        }
    }

    fn finish_query(&mut self, shape: Shape) {
        if let Some(query) = self.query.take() {
            self.cost = self.cost.saturating_add(query.cost(shape));
        }
    }

    fn add(&mut self, cost: u64) {
        self.cost = self.cost.saturating_add(cost);
    }
}

struct Scan {
    shape: Shape,
    frames: Vec<Frame>,
    filter_depth: usize,
}

impl Scan {
    fn new(shape: Shape) -> Scan {
        Scan {
            shape,
            frames: vec![Frame::new(Kind::Top)],
            filter_depth: 0,
        }
    }

    fn top(&mut self) -> &mut Frame {
        let last = self.frames.len() - 1;
        &mut self.frames[last]
    }

    /// End the query being read at the innermost level, if any.
    fn finish_query(&mut self) {
        let shape = self.shape;
        self.top().finish_query(shape);
    }

    fn run(mut self, text: &[u8]) -> Result<(), &'static str> {
        let mut at = 0;
        while at < text.len() {
            let byte = text[at];
            at += 1;
            match byte {
                b'\'' | b'"' => {
                    at = skip_string(text, at, byte);
                    self.selector_content();
                    self.finish_query();
                }
                b'$' | b'@' => {
                    self.selector_content();
                    self.finish_query();
                    self.top().query = Some(Query::start(byte == b'$'));
                }
                b'.' if self.top().query.is_some() => at = self.dot(text, at)?,
                b'[' => self.open_bracket(false)?,
                b']' => self.close_bracket(),
                b'(' => self.open_paren()?,
                b')' => self.close_paren(),
                b',' => self.next_selector(),
                b'?' => self.filter_mark()?,
                b'*' | b':' => self.wide_mark(),
                b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => {
                    self.selector_content();
                    self.finish_query();
                }
            }
        }
        while self.frames.len() > 1 {
            match self.top().kind {
                Kind::Paren => self.close_paren(),
                _ => self.close_bracket(),
            }
        }
        self.finish_query();
        if self.top().cost > MAX_COST {
            return Err(TOO_COSTLY);
        }
        Ok(())
    }

    /// After a `.` of a query: `.name`, `.*`, `..name`, `..*` or `..[`.
    fn dot(&mut self, text: &[u8], mut at: usize) -> Result<usize, &'static str> {
        let Shape { fan_out, nodes } = self.shape;
        let descendant = text.get(at) == Some(&b'.');
        if descendant {
            at += 1;
        }
        match text.get(at) {
            Some(b'[') if descendant => {
                self.open_bracket(true)?;
                return Ok(at + 1);
            }
            Some(b'*') => {
                let out = if descendant { nodes } else { fan_out };
                self.extend_query(out, out);
                at += 1;
            }
            _ => {
                let out = if descendant { nodes } else { 1 };
                self.extend_query(out, out);
                while at < text.len() && is_name_byte(text[at]) {
                    at += 1;
                }
            }
        }
        Ok(at)
    }

    fn extend_query(&mut self, out: u64, each: u64) {
        if let Some(query) = self.top().query.as_mut() {
            query.segment(out, each);
        }
    }

    /// Something that is not a query starts in a bracket's selector (a name, an index).
    fn selector_content(&mut self) {
        let frame = self.top();
        if matches!(frame.kind, Kind::Bracket { .. }) {
            frame.selector_started = true;
        }
    }

    fn check_nesting(&self) -> Result<(), &'static str> {
        // The first frame is the top level, not a bracket or parenthesis.
        if self.frames.len() > MAX_NESTING {
            return Err(TOO_DEEP);
        }
        Ok(())
    }

    fn open_bracket(&mut self, descendant: bool) -> Result<(), &'static str> {
        self.selector_content();
        let attached = self.top().query.is_some();
        if !attached {
            self.finish_query();
        }
        self.frames.push(Frame::new(Kind::Bracket {
            descendant,
            attached,
        }));
        self.check_nesting()
    }

    fn open_paren(&mut self) -> Result<(), &'static str> {
        self.selector_content();
        self.finish_query();
        self.frames.push(Frame::new(Kind::Paren));
        self.check_nesting()
    }

    fn end_selector(&mut self) {
        self.finish_query();
        let frame = self.top();
        if !frame.selector_started {
            return;
        }
        let selector = frame.selector;
        match selector {
            Selector::Narrow => frame.narrow += 1,
            Selector::Wide | Selector::Filter => frame.wide += 1,
        }
        frame.selector = Selector::Narrow;
        frame.selector_started = false;
        if selector == Selector::Filter {
            self.filter_depth -= 1;
        }
    }

    fn next_selector(&mut self) {
        if matches!(self.top().kind, Kind::Bracket { .. }) {
            self.end_selector();
        } else {
            self.finish_query();
        }
    }

    fn filter_mark(&mut self) -> Result<(), &'static str> {
        let frame = self.top();
        if !matches!(frame.kind, Kind::Bracket { .. }) || frame.selector_started {
            self.finish_query();
            return Ok(());
        }
        frame.selector = Selector::Filter;
        frame.selector_started = true;
        self.filter_depth += 1;
        if self.filter_depth > MAX_FILTER_NESTING {
            return Err(TOO_MANY_FILTERS);
        }
        Ok(())
    }

    fn wide_mark(&mut self) {
        let frame = self.top();
        if matches!(frame.kind, Kind::Bracket { .. }) && frame.selector != Selector::Filter {
            frame.selector = Selector::Wide;
            frame.selector_started = true;
        }
        self.finish_query();
    }

    /// A `]`: the bracket's segment is applied to the query it extends. A stray `]`
    /// is left for the parser to report.
    fn close_bracket(&mut self) {
        let Kind::Bracket {
            descendant,
            attached,
        } = self.top().kind
        else {
            return;
        };
        self.end_selector();
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let Shape { fan_out, nodes } = self.shape;
        let (out, each) = if descendant {
            let out = frame
                .narrow
                .saturating_add(frame.wide)
                .saturating_mul(nodes);
            (out, out.saturating_add(nodes.saturating_mul(frame.cost)))
        } else {
            let out = frame
                .narrow
                .saturating_add(frame.wide.saturating_mul(fan_out));
            (out, out.saturating_add(fan_out.saturating_mul(frame.cost)))
        };
        let parent = self.top();
        match (attached, parent.query.as_mut()) {
            (true, Some(query)) => query.segment(out, each),
            _ => parent.add(each),
        }
    }

    /// A `)`: what the parenthesis held counts at the level around it.
    fn close_paren(&mut self) {
        if self.top().kind != Kind::Paren {
            return;
        }
        let Some(mut frame) = self.frames.pop() else {
            return;
        };
        frame.finish_query(self.shape);
        self.finish_query();
        self.top().add(frame.cost);
    }
}

/// Skip a quoted string starting after its opening quote; returns the index after
/// its closing quote (or the end of the text).
fn skip_string(text: &[u8], mut at: usize, quote: u8) -> usize {
    while at < text.len() {
        match text[at] {
            b'\\' => at += 2,
            byte if byte == quote => return at + 1,
            _ => at += 1,
        }
    }
    text.len()
}

/// Bytes of a member name after a dot (ASCII name characters and any non-ASCII).
fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, inner: &str, close: &str, n: usize) -> String {
        format!("{}{inner}{}", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn everyday_queries_pass() {
        for expr in [
            "$.todos[?(@.doneStatus == true)]",
            "$.todos[?(@.id > 2 && (@.title == 'a' || @.description != \"b]\"))]",
            "$.todos[0,1,2]",
            "$.todos[1:3]",
            "$.todos[*]",
            "$..title",
            "$..*",
            "$.todos[?length(@.title) > 3]",
            "$.todos[?@.id == $.todos[0].id]",
            "$..[?(@.id)]",
            "$.todos[?@.price > 1.5]",
        ] {
            assert_eq!(check(expr, 20), Ok(()), "{expr}");
            assert_eq!(check(expr, 2000), Ok(()), "{expr} over 2000 todos");
        }
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let parens = format!("$.todos[?{}]", nested("(", "@.id==1", ")", 900));
        assert_eq!(check(&parens, 10), Err(TOO_DEEP));
        let at_limit = format!("$.todos[?{}]", nested("(", "@.id==1", ")", MAX_NESTING - 2));
        assert_eq!(check(&at_limit, 10), Ok(()));
        let brackets = format!("${}", nested("[", "0", "]", 40));
        assert_eq!(check(&brackets, 10), Err(TOO_DEEP));
    }

    #[test]
    fn nested_filters_are_refused() {
        let exponential = format!("$.todos[?{}]", nested("@[?", "@", "]", 24));
        assert_eq!(check(&exponential, 10), Err(TOO_MANY_FILTERS));
        let three = format!("$.todos[?{}]", nested("@[?", "@", "]", 2));
        assert_eq!(check(&three, 10), Ok(()));
        let four = format!("$.todos[?{}]", nested("@[?", "@", "]", 3));
        assert_eq!(check(&four, 10), Err(TOO_MANY_FILTERS));
    }

    #[test]
    fn strings_do_not_count() {
        let expr = format!("$.todos[?@.title == '{}']", "([?".repeat(100));
        assert_eq!(check(&expr, 10), Ok(()));
        let escaped = format!("$.todos[?@.title == 'it\\'s {}']", "(".repeat(100));
        assert_eq!(check(&escaped, 10), Ok(()));
    }

    #[test]
    fn costly_evaluation_is_refused() {
        // Each absolute descendant query inside a filter runs once per node.
        assert_eq!(check("$..[?$..[?$..[?@]]]", 10), Err(TOO_COSTLY));
        assert_eq!(check("$..[?$..[?@]]", 10), Ok(()));
        // Comparing the root with itself walks the whole document each time.
        assert_eq!(check("$..[?$..[? $!=$]]", 10), Err(TOO_COSTLY));
        assert_eq!(check("$..[?$..[? @.id!=$.todos[0].id]]", 10), Ok(()));
        // Duplicating selectors multiply the node list.
        let wide = format!("$[{0}][{0}][{0}]", vec!["*"; 300].join(","));
        assert_eq!(check(&wide, 10), Err(TOO_COSTLY));
    }

    #[test]
    fn unbalanced_text_is_left_to_the_parser() {
        for expr in [
            "$]]]",
            "$)))",
            "$.todos[?(@.id==1]",
            "$[",
            "'unterminated",
            "",
        ] {
            assert_eq!(check(expr, 10), Ok(()), "{expr}");
        }
    }
}
