"""A small hand-written pair (our own text)."""
# A small hand-written pair (our own text): Chinese sentence 2 is split in two in the English.
ZH = ["今天早上下了一场大雨。",
      "我的朋友李明没有带伞。",
      "他在公交车站等了二十分钟，最后全身都湿透了。",
      "回到家以后，他喝了一杯热茶。",
      "第二天他感冒了，只好请假在家休息。"]
EN = ["There was a heavy rain this morning.",
      "My friend Li Ming had not brought an umbrella.",
      "He waited at the bus stop for twenty minutes.",
      "In the end he was soaked to the skin.",
      "When he got home, he drank a cup of hot tea.",
      "The next day he caught a cold and had to take a day off to rest at home."]
