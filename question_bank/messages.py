"""Vietnamese and English texts of every problem code and field name.

Vietnamese is the default language of the platform; every entry has both languages (a test
checks that they use the same placeholders).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # --- files -------------------------------------------------------------------------
    "empty_file": {
        "vi": "tệp rỗng, không có câu hỏi nào",
        "en": "the file is empty: it has no questions",
    },
    "encoding": {
        "vi": "tệp không được mã hóa UTF-8 (byte lỗi ở vị trí {position}), có thể là Windows-1258 hoặc Windows-1252; hãy lưu lại tệp với mã hóa UTF-8 (trong Excel chọn «CSV UTF-8 (Comma delimited)», trong Notepad chọn Encoding «UTF-8»)",
        "en": "the file is not UTF-8 encoded (bad byte at position {position}), perhaps Windows-1258 or Windows-1252; save it again with UTF-8 encoding (in Excel choose “CSV UTF-8 (Comma delimited)”, in Notepad choose Encoding “UTF-8”)",
    },
    "unknown_format": {
        "vi": "không nhận ra định dạng của tệp; các định dạng được hỗ trợ: {formats}",
        "en": "unrecognised file format; supported formats: {formats}",
    },
    "file_too_large": {
        "vi": "tệp quá lớn ({size} MB; tối đa {limit} MB); hãy chia câu hỏi thành nhiều tệp nhỏ hơn",
        "en": "the file is too large ({size} MB; at most {limit} MB); split the questions into smaller files",
    },
    "too_many_questions": {
        "vi": "tệp có hơn {limit} câu hỏi, quá giới hạn của một lần nhập; hãy chia thành các tệp có tối đa {limit} câu",
        "en": "the file has more than {limit} questions, the limit of one import; split it into files of at most {limit} questions",
    },
    "not_xlsx": {
        "vi": "tệp không phải là tệp Excel (.xlsx) hợp lệ; hãy mở tệp bằng Excel và lưu lại dưới dạng Excel Workbook (.xlsx)",
        "en": "the file is not a valid Excel (.xlsx) workbook; open it in Excel and save it as an Excel Workbook (.xlsx)",
    },
    "xlsx_too_large": {
        "vi": "tệp Excel khi giải nén quá lớn ({size} MB; tối đa {limit} MB): tệp bị hỏng hoặc không an toàn («zip bomb»)",
        "en": "the Excel file is too large once uncompressed ({size} MB; at most {limit} MB): it is damaged or unsafe (a “zip bomb”)",
    },
    "xlsx_compression_ratio": {
        "vi": "tệp Excel bị nén bất thường (phần «{part}» giải nén thành {size} MB, gấp hơn {ratio} lần khi nén): tệp bị hỏng hoặc không an toàn («zip bomb»)",
        "en": "the Excel file is packed abnormally (part “{part}” unpacks to {size} MB, more than {ratio} times its packed size): it is damaged or unsafe (a “zip bomb”)",
    },
    "xls_not_supported": {
        "vi": "tệp Excel cũ (.xls) không được hỗ trợ; hãy mở tệp và lưu lại dưới dạng Excel Workbook (.xlsx)",
        "en": "old Excel files (.xls) are not supported; open the file and save it as an Excel Workbook (.xlsx)",
    },
    "bad_xlsx": {
        "vi": "không đọc được tệp Excel (.xlsx): {detail}",
        "en": "cannot read the Excel (.xlsx) file: {detail}",
    },
    "bad_header": {
        "vi": "không tìm thấy dòng tiêu đề của mẫu; dòng đầu tiên phải chứa tên các cột như «Loại», «Câu hỏi (VI)», «Phương án A (VI)», «Đáp án đúng»",
        "en": "the template header row is missing; the first row must hold column names such as “Loại”, “Câu hỏi (VI)”, “Phương án A (VI)”, “Đáp án đúng”",
    },
    "missing_column": {
        "vi": "thiếu cột «{column}»",
        "en": "column “{column}” is missing",
    },
    "unknown_column": {
        "vi": "cột «{column}» không có trong mẫu (kiểm tra lại chính tả tên cột)",
        "en": "column “{column}” is not part of the template (check the column name)",
    },
    "duplicate_column": {
        "vi": "cột «{column}» xuất hiện nhiều lần",
        "en": "column “{column}” appears more than once",
    },
    "cell_too_long": {
        "vi": "có một ô dài hơn {limit} ký tự; hãy kiểm tra lại tệp (có thể thiếu dấu ngoặc kép đóng)",
        "en": "a cell is longer than {limit} characters; check the file (a closing quote may be missing)",
    },
    "csv_unclosed_quote": {
        "vi": "dấu ngoặc kép (\") mở ở dòng này không được đóng, nên phần còn lại của tệp bị đọc thành một ô; hãy thêm dấu \" đóng hoặc xóa dấu mở",
        "en": "a double quote (\") opened on this row is never closed, so the rest of the file reads as one cell; add the closing \" or remove the opening one",
    },
    "json_syntax": {
        "vi": "lỗi cú pháp JSON ở cột {column}: {detail}",
        "en": "JSON syntax error at column {column}: {detail}",
    },
    "json_not_list": {
        "vi": "tệp JSON phải là một mảng các câu hỏi: [ {{…}}, {{…}} ]",
        "en": "a JSON file must be an array of questions: [ {{…}}, {{…}} ]",
    },
    "json_not_object": {
        "vi": "mỗi câu hỏi phải là một đối tượng JSON {{…}}",
        "en": "each question must be a JSON object {{…}}",
    },
    "unknown_field": {
        "vi": "trường «{name}» không thuộc định dạng câu hỏi",
        "en": "“{name}” is not a field of the question format",
    },
    "not_text": {"vi": "phải là một chuỗi văn bản", "en": "must be a text string"},
    "not_list": {"vi": "phải là một danh sách [ … ]", "en": "must be a list [ … ]"},
    "not_object": {"vi": "phải là một đối tượng {{ … }}", "en": "must be an object {{ … }}"},
    "not_bool": {"vi": "phải là true hoặc false", "en": "must be true or false"},
    "bad_base64": {
        "vi": "dữ liệu của ảnh «{name}» không phải base64 hợp lệ",
        "en": "the data of image “{name}” is not valid base64",
    },
    "xml_malformed": {
        "vi": "XML không hợp lệ (cột {column}): {detail}",
        "en": "malformed XML (column {column}): {detail}",
    },
    "xml_forbidden": {
        "vi": "tệp XML chứa khai báo DTD, thực thể (entity) hoặc tham chiếu ra ngoài; vì lý do an toàn, các khai báo này không được phép",
        "en": "the XML file contains a DTD, entity declarations or external references, which are not allowed for safety reasons",
    },
    "xml_not_quiz": {
        "vi": "phần tử gốc của tệp Moodle XML phải là <quiz> (đang là <{tag}>)",
        "en": "the root element of a Moodle XML file must be <quiz> (found <{tag}>)",
    },
    "unsupported_type": {
        "vi": "loại câu hỏi «{type}» không được hỗ trợ; chỉ nhận câu một lựa chọn, nhiều lựa chọn và đúng/sai",
        "en": "question type “{type}” is not supported; only single choice, multiple choice and true/false are",
    },
    "partial_fraction": {
        "vi": "phương án {letter} được {fraction}% số điểm; câu một lựa chọn không hỗ trợ điểm từng phần (chỉ 100% hoặc 0%)",
        "en": "option {letter} is worth {fraction}% of the mark; single-choice questions have no partial credit (only 100% or 0%)",
    },
    "bad_number": {
        "vi": "giá trị «{value}» không phải là một số",
        "en": "“{value}” is not a number",
    },
    "syntax": {
        "vi": "sai cú pháp {format}: {detail}",
        "en": "{format} syntax error: {detail}",
    },
    "option_order": {
        "vi": "phương án «{found}» không đúng thứ tự (cần «{expected}»)",
        "en": "option “{found}” is out of order (expected “{expected}”)",
    },
    "gift_unclosed_name": {
        "vi": "thiếu «::» đóng tên câu hỏi",
        "en": "the closing “::” of the question name is missing",
    },
    "gift_unclosed_answers": {
        "vi": "thiếu dấu «}}» đóng phần đáp án",
        "en": "the closing “}}” of the answers is missing",
    },
    "gift_answer_marker": {
        "vi": "mỗi phương án phải bắt đầu bằng «=» (đúng) hoặc «~» (sai)",
        "en": "each answer must start with “=” (right) or “~” (wrong)",
    },
    "unexpected_line": {
        "vi": "dòng này không đúng cú pháp {format}: «{text}»",
        "en": "this line is not valid {format}: “{text}”",
    },
    "missing_answer_line": {
        "vi": "thiếu dòng «ANSWER: X» cho biết đáp án đúng",
        "en": "the “ANSWER: X” line giving the correct answer is missing",
    },
    # --- values ------------------------------------------------------------------------
    "unknown_type": {
        "vi": "loại câu hỏi «{value}» không hợp lệ; dùng một trong: {allowed}",
        "en": "“{value}” is not a valid question type; use one of: {allowed}",
    },
    "unknown_pillar": {
        "vi": "trụ cột «{value}» không hợp lệ; dùng một trong: {allowed}",
        "en": "“{value}” is not a valid pillar; use one of: {allowed}",
    },
    "unknown_difficulty": {
        "vi": "độ khó «{value}» không hợp lệ; dùng một trong: {allowed}",
        "en": "“{value}” is not a valid difficulty; use one of: {allowed}",
    },
    "unknown_language": {
        "vi": "ngôn ngữ «{value}» không được hỗ trợ; dùng: {allowed}",
        "en": "language “{value}” is not supported; use: {allowed}",
    },
    "bad_correct": {
        "vi": "đáp án đúng «{value}» không hợp lệ; hãy ghi chữ cái của phương án, ví dụ «B» hoặc «A;C»",
        "en": "“{value}” is not a valid correct answer; write the option letters, e.g. “B” or “A;C”",
    },
    "correct_out_of_range": {
        "vi": "đáp án đúng là «{letter}» nhưng không có phương án {letter}",
        "en": "the correct answer is “{letter}” but there is no option {letter}",
    },
    "option_gap": {
        "vi": "phương án {letter} bị bỏ trống trong khi các phương án sau nó có nội dung",
        "en": "option {letter} is empty while later options are filled in",
    },
    # --- question rules ----------------------------------------------------------------
    "no_language": {
        "vi": "câu hỏi chưa có nội dung bằng ngôn ngữ nào (cần tiếng Việt hoặc tiếng Anh)",
        "en": "the question has no text in any language (Vietnamese or English is needed)",
    },
    "empty_text": {
        "vi": "không được để trống",
        "en": "must not be empty",
    },
    "control_character": {
        "vi": "có ký tự điều khiển (ví dụ byte NUL), không được phép; hãy xóa ký tự đó",
        "en": "contains a control character (such as a NUL byte), which is not allowed; remove it",
    },
    "too_few_options": {
        "vi": "phải có ít nhất 2 phương án (hiện có {count})",
        "en": "there must be at least 2 options (found {count})",
    },
    "too_many_options": {
        "vi": "chỉ được có tối đa 8 phương án (hiện có {count})",
        "en": "there can be at most 8 options (found {count})",
    },
    "true_false_options": {
        "vi": "câu đúng/sai phải có đúng 2 phương án: Đúng rồi Sai (hiện có {count})",
        "en": "a true/false question must have exactly 2 options, True then False (found {count})",
    },
    "no_correct": {
        "vi": "phải có ít nhất một đáp án đúng",
        "en": "there must be at least one correct answer",
    },
    "one_correct_only": {
        "vi": "câu {type} chỉ được có đúng một đáp án đúng (đang đánh dấu: {letters})",
        "en": "a {type} question must have exactly one correct answer (marked: {letters})",
    },
    "duplicate_option": {
        "vi": "phương án {first} và {second} có nội dung trùng nhau",
        "en": "options {first} and {second} have the same text",
    },
    "bad_tag": {
        "vi": "chủ đề «{tag}» không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang (ví dụ «{suggestion}»)",
        "en": "tag “{tag}” is invalid: use lower-case letters without accents, digits and hyphens (e.g. “{suggestion}”)",
    },
    "bad_key": {
        "vi": "mã «{key}» không hợp lệ: chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang",
        "en": "key “{key}” is invalid: use lower-case letters without accents, digits and hyphens",
    },
    "duplicate_key": {
        "vi": "mã «{key}» đã được dùng cho một câu khác trong tệp ({other})",
        "en": "key “{key}” is already used by another question in the file ({other})",
    },
    "broken_markup": {
        "vi": "mã HTML bị lỗi (thẻ chưa đóng, đóng sai thứ tự hoặc thừa): {tags}",
        "en": "broken HTML markup (a tag left open, closed out of order or never opened): {tags}",
    },
    "missing_image": {
        "vi": "ảnh «{name}» được chèn vào nội dung nhưng không có tệp ảnh đi kèm",
        "en": "image “{name}” is used in the text but its file is not included",
    },
    "explanation_language": {
        "vi": "có lời giải thích bằng ngôn ngữ «{lang}» nhưng câu hỏi không có nội dung bằng ngôn ngữ này",
        "en": "there is an explanation in “{lang}” but the question has no text in that language",
    },
    # --- export ------------------------------------------------------------------------
    "export_unsupported_type": {
        "vi": "định dạng {format} không chứa được câu {type}",
        "en": "the {format} format cannot hold a {type} question",
    },
    "export_missing_language": {
        "vi": "câu hỏi chưa có nội dung bằng ngôn ngữ «{lang}» để xuất ra định dạng {format}",
        "en": "the question has no “{lang}” text to write in the {format} format",
    },
    # --- warnings ----------------------------------------------------------------------
    "duplicate_stem": {
        "vi": "nội dung câu hỏi trùng với {other}",
        "en": "the question text is the same as {other}",
    },
    "similar_stem": {
        "vi": "nội dung câu hỏi gần giống ({percent}%) với {other}",
        "en": "the question text is very similar ({percent}%) to {other}",
    },
}

FIELD_LABELS: dict[str, dict[str, str]] = {
    "key": {"vi": "Mã", "en": "Key"},
    "type": {"vi": "Loại", "en": "Type"},
    "pillar": {"vi": "Trụ cột", "en": "Pillar"},
    "tags": {"vi": "Chủ đề", "en": "Tags"},
    "difficulty": {"vi": "Độ khó", "en": "Difficulty"},
    "stem": {"vi": "Câu hỏi", "en": "Question"},
    "options": {"vi": "Phương án", "en": "Options"},
    "option": {"vi": "Phương án {letter}", "en": "Option {letter}"},
    "correct": {"vi": "Đáp án đúng", "en": "Correct answer"},
    "explanation": {"vi": "Giải thích", "en": "Explanation"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "name": {"vi": "Tên", "en": "Name"},
    "images": {"vi": "Hình ảnh", "en": "Images"},
    "header": {"vi": "Dòng tiêu đề", "en": "Header row"},
    "question": {"vi": "Câu hỏi", "en": "Question"},
}

# Words used by Problem.describe() to locate a problem.
LOCATION_WORDS: dict[str, dict[str, str]] = {
    "row": {"vi": "dòng {n}", "en": "row {n}"},
    "line": {"vi": "dòng {n}", "en": "line {n}"},
    "index": {"vi": "câu số {n}", "en": "question #{n}"},
    "question": {"vi": "câu «{name}»", "en": "question “{name}”"},
    "field": {"vi": "trường «{label}»", "en": "field “{label}”"},
    "or": {"vi": "hoặc", "en": "or"},
}
