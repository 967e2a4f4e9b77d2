import pytest
import torch

from models.config import CustomData
from models.csv_data import CsvError, format_csv, parse_csv


def test_classification_file() -> None:
    data = parse_csv("x1,x2,label\n1,2,0\n-3.5,0.25,1\n6,-6,5\n", max_rows=10)
    assert data == CustomData(((1.0, 2.0), (-3.5, 0.25), (6.0, -6.0)), (0.0, 1.0, 5.0))


def test_regression_file() -> None:
    data = parse_csv("x1,x2,y\n0,0,-12.5\n1e-3,2,7", max_rows=10)
    assert data == CustomData(((0.0, 0.0), (0.001, 2.0)), (-12.5, 7.0), "regression")


def test_whitespace_bom_crlf_case_quotes_and_blank_lines_are_fine() -> None:
    text = '\ufeff X1 , x2 ,Label \r\n 1 , 2 , 0\r\n\r\n"3",4,1.0\r\n\n'
    data = parse_csv(text, max_rows=2)
    assert data == CustomData(((1.0, 2.0), (3.0, 4.0)), (0.0, 1.0))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("  \n\n", "the file is empty"),
        ("\ufeff", "the file is empty"),
        ("x1\tx2\tlabel\n1\t2\t0\n", "not a CSV file: row 1 has no commas"),
        ("PK\x03\x04\x00\x00", "not a CSV file: it contains NUL bytes"),
        ("1,2,0\n3,4,1\n", "missing header: row 1 is '1,2,0'"),
        ("a,b,c\n1,2,0\n", "wrong header 'a,b,c' in row 1"),
        ("x1,x2\n1,2\n", "wrong header 'x1,x2' in row 1"),
        ("x1,x2,label\n1,2,0\n3,4\n", "row 3: expected 3 columns (x1,x2,label), found 2"),
        ("x1,x2,y\n1,2,0\n3,4,5,6\n", "row 3: expected 3 columns (x1,x2,y), found 4"),
        ("x1,x2,label\n1,2,0\n\n3,abc,1\n", "row 4, column x2: 'abc' is not a number"),
        ("x1,x2,y\n1,2,0\n,4,1\n", "row 3, column x1: the cell is empty"),
        ("x1,x2,y\n1,2,0\n3,4,nan\n", "row 3, column y: 'nan' is not a finite number"),
        ("x1,x2,y\n1,-inf,0\n3,4,1\n", "row 2, column x2: '-inf' is not a finite number"),
        ("x1,x2,y\n1,2,0\n6.5,4,1\n", "row 3, column x1: 6.5 lies outside the box [-6, 6]"),
        ("x1,x2,y\n1,-7,0\n3,4,1\n", "row 2, column x2: -7 lies outside the box [-6, 6]"),
        ("x1,x2,label\n1,2,0\n3,4,1.5\n", "row 3, column label: '1.5' is not a class"),
        ("x1,x2,label\n1,2,6\n3,4,1\n", "row 2, column label: '6' is not a class"),
        ("x1,x2,label\n1,2,-1\n3,4,1\n", "row 2, column label: '-1' is not a class"),
        ("x1,x2,label\n1,2,1\n3,4,1\n", "every label is 1; classification needs at least 2"),
        ("x1,x2,label\n1,2,1\n", "the file has 1 point rows; at least 2 are needed"),
        ("x1,x2,y\n\n", "the file has 0 point rows"),
        ("x1,x2,y\n" + "1,1,1\n" * 5, "row 5: too many rows; the limit is 3 points"),
    ],
)
def test_bad_files_say_what_and_where(text: str, message: str) -> None:
    with pytest.raises(CsvError) as caught:
        parse_csv(text, max_rows=3)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_the_row_limit_counts_points_not_lines() -> None:
    text = "x1,x2,y\n" + "1,1,1\n\n" * 3
    assert len(parse_csv(text, max_rows=3).x) == 3


@pytest.mark.parametrize("task", ["classification", "regression"])
def test_format_round_trips(task: str) -> None:
    gen = torch.Generator().manual_seed(0)
    x = (torch.rand(50, 2, generator=gen) * 12 - 6).float()
    if task == "classification":
        y = torch.randint(0, 4, (50,), generator=gen).float()
    else:
        y = torch.randn(50, generator=gen) * 3
    text = format_csv(x, y, task)  # type: ignore[arg-type]
    assert text.splitlines()[0] == ("x1,x2,label" if task == "classification" else "x1,x2,y")
    data = parse_csv(text, max_rows=50)
    assert data.task == task
    assert torch.equal(torch.tensor(data.x), x) and torch.equal(torch.tensor(data.y), y)
    assert parse_csv(format_csv(data.x, data.y, data.task), max_rows=50) == data


def test_format_refuses_points_that_are_not_2d() -> None:
    with pytest.raises(ValueError, match="2D"):
        format_csv([[0.5]], [1.0], "regression")
