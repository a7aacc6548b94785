#![no_main]
//! Rendering arbitrary todos and error messages in every format. Input text is split on
//! U+001F into alternating titles and descriptions. JSON renderings must parse back to
//! the same values and XML renderings must be readable by an XML parser.

use apichallenges::todo::negotiation::MediaType;
use apichallenges::todo::representation;
use apichallenges::todo::Todo;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

const IDS: [u64; 4] = [1, u64::MAX, 0, 4_294_967_296];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.split('\u{1f}').collect();
    let todos: Vec<Todo> = parts
        .chunks(2)
        .take(8)
        .enumerate()
        .map(|(index, pair)| Todo {
            id: IDS[index % IDS.len()],
            title: pair[0].to_string(),
            done_status: index % 2 == 1,
            description: pair.get(1).unwrap_or(&"").to_string(),
        })
        .collect();
    let refs: Vec<&Todo> = todos.iter().collect();

    for format in all_formats() {
        let list = representation::todo_list(&refs, &format);
        let errors = representation::errors(&parts, &format);
        match format {
            MediaType::Json => {
                check_json_list(&list, &todos);
                check_json_errors(&errors, &parts);
            }
            MediaType::Ndjson | MediaType::Jsonl | MediaType::JsonSeq => {
                check_json_lines(&list, &todos)
            }
            _ if format.is_xml() => {
                check_xml(&list);
                check_xml(&errors);
            }
            _ => {}
        }
        for todo in &todos {
            let item = representation::todo_item(todo, &format);
            match format {
                MediaType::Json => check_json_todo(&parse(&item), todo),
                _ if format.is_xml() => check_xml(&item),
                _ => {}
            }
        }
    }
    check_json_errors(&representation::errors_json_html_safe(&parts), &parts);
    let export = representation::database_export(&todos);
    let export = parse(export.as_bytes());
    let exported = export["todos"].as_array().expect("todos array");
    assert_eq!(exported.len(), todos.len());
    for (value, todo) in exported.iter().zip(&todos) {
        assert_eq!(value["title"].as_str(), Some(todo.title.as_str()));
    }
    for todo in &todos {
        let _ = representation::calendar(todo);
        let escaped = representation::xml_escape(&todo.title);
        assert!(!escaped.contains(['<', '>', '\0']));
    }
});

fn all_formats() -> Vec<MediaType> {
    vec![
        MediaType::Json,
        MediaType::Xml,
        MediaType::TextXml,
        MediaType::StructuredXml("application/vnd.apichallenges.todo+xml".to_string()),
        MediaType::Csv,
        MediaType::Plain,
        MediaType::Html,
        MediaType::Ndjson,
        MediaType::Jsonl,
        MediaType::JsonSeq,
        MediaType::Tsv,
        MediaType::Calendar,
    ]
}

fn parse(bytes: &[u8]) -> Value {
    match serde_json::from_slice(bytes) {
        Ok(value) => value,
        Err(error) => panic!(
            "rendered JSON does not parse ({error}): {:?}",
            String::from_utf8_lossy(bytes)
        ),
    }
}

fn check_json_todo(value: &Value, todo: &Todo) {
    assert_eq!(value["id"].as_u64(), Some(todo.id));
    assert_eq!(value["title"].as_str(), Some(todo.title.as_str()));
    assert_eq!(value["doneStatus"].as_bool(), Some(todo.done_status));
    assert_eq!(
        value["description"].as_str(),
        Some(todo.description.as_str())
    );
}

fn check_json_list(bytes: &[u8], todos: &[Todo]) {
    let value = parse(bytes);
    let items = value["todos"].as_array().expect("todos array");
    assert_eq!(items.len(), todos.len());
    for (item, todo) in items.iter().zip(todos) {
        check_json_todo(item, todo);
    }
}

fn check_json_errors(bytes: &[u8], messages: &[&str]) {
    let value = parse(bytes);
    let parsed: Vec<&str> = value["errorMessages"]
        .as_array()
        .expect("errorMessages array")
        .iter()
        .map(|m| m.as_str().expect("string message"))
        .collect();
    assert_eq!(parsed, messages);
}

/// One JSON todo per line, optionally prefixed with the RS record separator.
fn check_json_lines(bytes: &[u8], todos: &[Todo]) {
    let text = std::str::from_utf8(bytes).expect("UTF-8 lines");
    let lines: Vec<&str> = text.split_terminator('\n').collect();
    assert_eq!(lines.len(), todos.len(), "one line per todo: {text:?}");
    for (line, todo) in lines.iter().zip(todos) {
        let line = line.strip_prefix('\u{1e}').unwrap_or(line);
        check_json_todo(&parse(line.as_bytes()), todo);
    }
}

fn check_xml(bytes: &[u8]) {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut buffer = Vec::new();
    let mut depth = 0i32;
    loop {
        match reader.read_event_into(&mut buffer) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(_) => {}
            Err(error) => panic!(
                "rendered XML does not parse ({error}): {:?}",
                String::from_utf8_lossy(bytes)
            ),
        }
        buffer.clear();
    }
    assert_eq!(
        depth,
        0,
        "unbalanced XML: {:?}",
        String::from_utf8_lossy(bytes)
    );
}
