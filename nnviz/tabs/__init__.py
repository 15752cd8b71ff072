"""The five tabs, one package each: the tab, its Qt-free state and its views."""
