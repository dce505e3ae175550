"""Reading help (issue 18): the glossary and «Слушать»."""
