//! One learner's todo database.
//!
//! Every new database starts as the ten seed todos. Rather than copying them for each
//! learner, databases share one seed list behind an `Arc` until their first write
//! (copy-on-write), which keeps an idle learner's footprint to a pointer. The rendered
//! JSON of the default first page is cached per list, because `GET /todos` with no
//! query is by far the most frequent request.

use std::sync::{Arc, LazyLock, OnceLock};

use bytes::Bytes;

use crate::todo::negotiation::MediaType;
use crate::todo::representation;
use crate::todo::{seed_todos, Todo};

/// Page size of a list request without `_limit`, as in the reference.
pub const DEFAULT_PAGE: usize = 10;

#[derive(Default)]
struct TodoList {
    /// Sorted by ascending id.
    todos: Vec<Todo>,
    /// The id the next create gets; never reused.
    next_id: u64,
    /// JSON of the first DEFAULT_PAGE todos, rendered on first use.
    first_page_json: OnceLock<Bytes>,
}

impl Clone for TodoList {
    fn clone(&self) -> Self {
        TodoList {
            todos: self.todos.clone(),
            next_id: self.next_id,
            first_page_json: OnceLock::new(),
        }
    }
}

static SEED: LazyLock<Arc<TodoList>> = LazyLock::new(|| {
    Arc::new(TodoList {
        todos: seed_todos(),
        next_id: 11,
        first_page_json: OnceLock::new(),
    })
});

/// A learner's todos.
#[derive(Clone)]
pub struct Database {
    list: Arc<TodoList>,
}

impl Default for Database {
    fn default() -> Self {
        Database::seeded()
    }
}

/// Why a create was refused.
#[derive(Debug, PartialEq, Eq)]
pub struct LimitReached;

impl Database {
    /// A fresh database holding the seed todos (shared until first written).
    pub fn seeded() -> Database {
        Database {
            list: Arc::clone(&SEED),
        }
    }

    /// A database holding exactly `todos`; the id counter continues after the highest.
    pub fn from_todos(mut todos: Vec<Todo>) -> Database {
        todos.sort_by_key(|t| t.id);
        todos.dedup_by_key(|t| t.id);
        let next_id = todos.last().map_or(1, |t| t.id + 1);
        Database::from_parts(todos, next_id)
    }

    /// A database with an explicit id counter (restored from storage).
    pub fn from_parts(mut todos: Vec<Todo>, next_id: u64) -> Database {
        todos.sort_by_key(|t| t.id);
        let floor = todos.last().map_or(1, |t| t.id + 1);
        Database {
            list: Arc::new(TodoList {
                todos,
                next_id: next_id.max(floor),
                first_page_json: OnceLock::new(),
            }),
        }
    }

    /// True while the database still shares the untouched seed list.
    pub fn is_pristine_seed(&self) -> bool {
        Arc::ptr_eq(&self.list, &SEED)
    }

    /// True when both are the very same list (no write to either since one was cloned
    /// from the other): a cheap "did this request change the todos?".
    pub fn same_list(&self, other: &Database) -> bool {
        Arc::ptr_eq(&self.list, &other.list)
    }

    /// All todos, ascending id.
    pub fn todos(&self) -> &[Todo] {
        &self.list.todos
    }

    pub fn len(&self) -> usize {
        self.list.todos.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.todos.is_empty()
    }

    /// The id counter.
    pub fn next_id(&self) -> u64 {
        self.list.next_id
    }

    pub fn get(&self, id: u64) -> Option<&Todo> {
        let todos = &self.list.todos;
        todos
            .binary_search_by_key(&id, |t| t.id)
            .ok()
            .map(|i| &todos[i])
    }

    /// The JSON of `GET /todos` with no query: the first page, rendered once per version.
    pub fn first_page_json(&self) -> Bytes {
        self.list
            .first_page_json
            .get_or_init(|| {
                let page: Vec<&Todo> = self.list.todos.iter().take(DEFAULT_PAGE).collect();
                Bytes::from(representation::todo_list(&page, &MediaType::Json))
            })
            .clone()
    }

    fn list_mut(&mut self) -> &mut TodoList {
        let list = Arc::make_mut(&mut self.list);
        list.first_page_json = OnceLock::new();
        list
    }

    /// Add a todo with the next id, unless `limit` todos already exist. A refused create
    /// does not consume an id.
    pub fn create(
        &mut self,
        title: String,
        done_status: bool,
        description: String,
        limit: Option<usize>,
    ) -> Result<Todo, LimitReached> {
        if limit.is_some_and(|max| self.len() >= max) {
            return Err(LimitReached);
        }
        let list = self.list_mut();
        let todo = Todo {
            id: list.next_id,
            title,
            done_status,
            description,
        };
        list.next_id += 1;
        list.todos.push(todo.clone());
        Ok(todo)
    }

    /// Use up the next id without creating anything: the classic engine assigns an id
    /// before validating a create, so a refused create still consumes one.
    pub fn skip_id(&mut self) {
        let list = Arc::make_mut(&mut self.list);
        list.next_id += 1;
    }

    /// Store a changed todo under its id; false when no such todo exists.
    pub fn update(&mut self, todo: Todo) -> bool {
        let Ok(i) = self.list.todos.binary_search_by_key(&todo.id, |t| t.id) else {
            return false;
        };
        self.list_mut().todos[i] = todo;
        true
    }

    /// Remove a todo; false when no such todo exists.
    pub fn delete(&mut self, id: u64) -> bool {
        let Ok(i) = self.list.todos.binary_search_by_key(&id, |t| t.id) else {
            return false;
        };
        self.list_mut().todos.remove(i);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(db: &mut Database, title: &str) -> Result<Todo, LimitReached> {
        db.create(title.into(), false, String::new(), Some(20))
    }

    #[test]
    fn new_databases_share_the_seed_until_written() {
        let a = Database::seeded();
        let mut b = Database::seeded();
        assert!(a.is_pristine_seed() && b.is_pristine_seed());
        assert_eq!(a.len(), 10);
        assert_eq!(add(&mut b, "mine").unwrap().id, 11);
        assert!(a.is_pristine_seed());
        assert!(!b.is_pristine_seed());
        assert_eq!((a.len(), b.len()), (10, 11));
    }

    #[test]
    fn ids_are_never_reused_and_refused_creates_consume_none() {
        let mut db = Database::seeded();
        let t = add(&mut db, "x").unwrap();
        assert!(db.delete(t.id));
        assert_eq!(add(&mut db, "y").unwrap().id, 12);
        while db.len() < 20 {
            add(&mut db, "fill").unwrap();
        }
        // Seeds 1-10 and 12-21: the refused create must not take 22.
        assert_eq!(db.next_id(), 22);
        assert_eq!(add(&mut db, "one too many"), Err(LimitReached));
        assert!(db.delete(1));
        assert_eq!(add(&mut db, "after").unwrap().id, 22);
    }

    #[test]
    fn restore_moves_the_counter_above_the_highest_id() {
        let db = Database::from_todos(vec![Todo {
            id: 42,
            title: "t".into(),
            done_status: true,
            description: String::new(),
        }]);
        assert_eq!(db.next_id(), 43);
        assert_eq!(Database::from_todos(Vec::new()).next_id(), 1);
    }

    #[test]
    fn update_and_delete_report_missing_ids() {
        let mut db = Database::seeded();
        let mut t = db.get(3).unwrap().clone();
        t.done_status = true;
        assert!(db.update(t));
        assert!(db.get(3).unwrap().done_status);
        assert!(!db.delete(99));
        let ghost = Todo {
            id: 99,
            title: "g".into(),
            done_status: false,
            description: String::new(),
        };
        assert!(!db.update(ghost));
    }
}
