"""Casualty / loss figure extraction (sentinel.classify.figures)."""

from __future__ import annotations

import pytest

from sentinel.classify.figures import FigureKind, Figures, extract_figures
from sentinel.classify.numbers import Qualifier

K = FigureKind


def stated(figures: Figures) -> dict[str, int]:
    return {k.value: v for k in FigureKind if (v := figures.get(k)) is not None}


# (text, every figure that must be found — nothing else may be)
CASES: list[tuple[str, dict[str, int]]] = [
    # plain Arabic, number before / after the keyword
    ("事故造成3人死亡", {"deaths": 3}),
    ("已造成3人死亡、5人受伤", {"deaths": 3, "injured": 5}),
    ("死亡3人，受伤5人", {"deaths": 3, "injured": 5}),
    ("死亡3人受伤5人", {"deaths": 3, "injured": 5}),
    ("造成3人死亡5人受伤", {"deaths": 3, "injured": 5}),
    ("3名工人当场死亡", {"deaths": 3}),
    ("2人经抢救无效死亡", {"deaths": 2}),
    ("1人送医后不治身亡", {"deaths": 1}),
    ("事故致1人遇难", {"deaths": 1}),
    ("4人罹难", {"deaths": 4}),
    ("2名村民丧生", {"deaths": 2}),
    ("一家三口遇难", {"deaths": 3}),
    ("1人溺亡", {"deaths": 1}),
    # compact forms
    ("事故造成3死5伤", {"deaths": 3, "injured": 5}),
    ("车祸致2死", {"deaths": 2}),
    ("1死2伤", {"deaths": 1, "injured": 2}),
    # full-width and Chinese numerals
    ("已造成１２人死亡", {"deaths": 12}),
    ("造成十二人死亡", {"deaths": 12}),
    ("二十三人受伤", {"injured": 23}),
    ("两人受伤", {"injured": 2}),
    ("一百零五人受灾", {"affected": 105}),
    # qualifiers and vague numbers
    ("至少5人遇难", {"deaths": 5}),
    ("不少于8人受伤", {"injured": 8}),
    ("10人以上死亡", {"deaths": 10}),
    ("超过30人受伤", {"injured": 30}),
    ("约50人被疏散", {"evacuated": 50}),
    ("近30人死亡", {"deaths": 30}),
    ("三十余人受伤", {"injured": 30}),
    ("数十人受伤", {"injured": 20}),
    ("上百人中毒", {"sickened": 100}),
    ("逾百人受伤", {"injured": 100}),
    ("十几人受伤", {"injured": 11}),
    # ranges: the upper bound counts
    ("10至12人被困", {"trapped": 12}),
    ("10-12人失联", {"missing": 12}),
    ("三四人受伤", {"injured": 4}),
    # 万 / 亿 and money
    ("造成直接经济损失1.2亿元", {"economic_loss": 120_000_000}),
    ("直接经济损失约999万元", {"economic_loss": 9_990_000}),
    ("直接经济损失5000万元", {"economic_loss": 50_000_000}),
    ("经济损失初步估算达1000余万元", {"economic_loss": 10_000_000}),
    ("受灾人口达1.5万人", {"affected": 15000}),
    ("两千多人受灾", {"affected": 2000}),
    ("紧急转移安置受灾群众3000余人", {"evacuated": 3000}),
    ("疏散周边居民1.2万人", {"evacuated": 12000}),
    ("3000人被紧急撤离", {"evacuated": 3000}),
    # updates and corrections
    ("死亡人数升至31人", {"deaths": 31}),
    ("死亡人数已上升至15人", {"deaths": 15}),
    ("遇难者增至12人", {"deaths": 12}),
    ("死亡人数由3人升至5人", {"deaths": 5}),
    ("起初2人死亡，目前死亡人数升至6人", {"deaths": 6}),
    ("死亡人数核减为3人，此前通报5人死亡", {"deaths": 3}),
    # missing / trapped / serious injuries / sickened
    ("事故共造成12人死亡、2人失踪", {"deaths": 12, "missing": 2}),
    ("3人下落不明", {"missing": 3}),
    ("5名矿工被困井下", {"trapped": 5}),
    ("救出5人，但还有9个人埋在下面", {"rescued": 5, "trapped": 9}),
    ("昨晚的泥石流冲进了村子，11人被掩埋，目前仍在全力搜救", {"trapped": 11}),
    ("中午吃了外卖，十几个同事住院了", {"sickened": 11}),
    ("楼整个塌了，里面起码还埋着二三十个人", {"trapped": 30}),
    ("上游河滩露营的冲走了三个人，到现在还没找到", {"missing": 3}),
    ("隧道塌咗！聽講入面仲有十幾個工人未出到嚟", {"missing": 11}),
    ("大水冲走了我家三头猪", {}),
    ("婚宴后三十多名宾客出现呕吐腹泻", {"sickened": 30}),
    ("十个人压在废墟里", {"trapped": 10}),
    # a tenth round of outside posts: how people say it in a comment
    ("花炮厂炸了 现在说是死了11个 还有好几个送县医院", {"deaths": 11}),
    ("邻居说里面起码还有十二三个人被压着，消防、武警都来了", {"trapped": 13}),
    ("脚手架垮了，三个师傅从上面掉下来，送到医院都没救回来", {"deaths": 3}),
    ("孩子送到医院没救过来", {"deaths": 1}),
    ("差点没救回来，吓死我了", {}),
    ("手机掉进水里，拿去修也没救回来", {}),
    ("三个村的人被压着干活", {}),
    # ...and what a review of those readings found them taking wrongly
    ("今晚吃鸡一局杀了11个 直接吃鸡", {}),
    ("开心消消乐又死了5个 心", {}),
    ("20多名工人工资被压着半年没发", {}),
    ("16名学生被压着补课到晚上十点", {}),
    ("货车侧翻，一名路人被压住，消防正在救援", {"trapped": 1}),
    ("我们3个人忙了一晚上，数据还是没救回来", {}),
    ("猫咪送宠物医院抢救，还是没救回来", {}),
    ("5名医生连续抢救8小时，患者还是没救回来", {"deaths": 1}),
    ("车上3个人，送到医院都没抢救过来", {"deaths": 3}),
    ("连续吃了三个月的人参后腹泻", {}),
    ("餐厅服务态度差，我们4个人吃得很不舒服", {}),
    ("有人受伤就3个小伙子冲上去", {}),
    # an eleventh round of outside posts
    ("我们车在后面差一点点就刹不住🙏 刚听现场交警说已经确认十个人没了，还有好几个在抢救", {"deaths": 10}),
    ("两个工友当场就没了，还有一个被水冲走到现在没找到", {"deaths": 2, "missing": 1}),
    ("县医院说已经收了一百三十多个拉肚子呕吐的，听说有个八十多岁的老太太没抢救过来", {"sickened": 130, "deaths": 1}),
    ("三名在河滩放牛的村民被卷进洪水里，到现在还没找到人", {"missing": 3}),
    ("数据抢救了一晚上还是没抢救过来", {}),
    # an emoji or a space right after 差点 ends no near miss; objects and "none of them" are no count
    ("今天在高速上差点😱一家四口都被追尾的大货车撞死，现在手还在抖", {}),
    ("吓死了 差点 两个娃都掉进河里淹死 幸好被路过的大叔拽住了", {}),
    ("去春游的大巴上备了二十个呕吐袋，结果一个也没用上。", {}),
    ("院子里一个被水冲走的冰箱卡在了桥洞下面", {}),
    ("全班四十多个同学，一个拉肚子的都没有", {}),
    ("一百多个吃席的人半夜开始上吐下泻。隔壁组的一个老太太没抢救过来", {"sickened": 100, "deaths": 1}),
    ("吃了食堂的饭，全校一百二十多个学生都不舒服", {"sickened": 120}),
    ("坐了一天车，三个人都不舒服", {}),  # 不舒服 needs food or disease around it, like 就医
    ("镇里干部说光是养殖户的损失加起来就上千万", {"economic_loss": 10_000_000}),
    ("1人重伤，8人轻伤", {"seriously_injured": 1, "injured": 8}),
    ("6人受伤，其中2人伤势严重", {"injured": 6, "seriously_injured": 2}),
    ("3名伤者危重", {"injured": 3}),
    ("23名学生出现呕吐、腹泻等症状", {"sickened": 23}),
    ("聚餐后45人出现不适，已送医", {"sickened": 45}),
    ("12名工人一氧化碳中毒", {"sickened": 12}),
    ("食堂就餐后30人就医", {"sickened": 30}),
    ("车祸后3人送医", {}),  # 送医 without food/disease context is not "sickened"
    # zeros and negation
    ("现场无人员伤亡", {"deaths": 0, "seriously_injured": 0, "injured": 0}),
    ("暂无人员伤亡", {"deaths": 0, "seriously_injured": 0, "injured": 0}),
    ("事故未造成人员伤亡", {"deaths": 0, "seriously_injured": 0, "injured": 0}),
    ("未造成人员死亡，2人受伤", {"deaths": 0, "injured": 2}),
    ("没有人死亡", {"deaths": 0}),
    ("无人受伤", {"injured": 0}),
    ("暂无人员伤亡，后经排查发现2人死亡", {"deaths": 2, "seriously_injured": 0, "injured": 0}),
    ("3人被困，均未受伤", {"trapped": 3, "injured": 0}),
    # Traditional
    ("死亡人數升至12人", {"deaths": 12}),
    ("3人失聯", {"missing": 3}),
    ("已致兩人罹難", {"deaths": 2}),
    ("造成三十餘人受傷", {"injured": 30}),
    ("直接經濟損失1.2億元", {"economic_loss": 120_000_000}),
    ("現場無人員傷亡", {"deaths": 0, "seriously_injured": 0, "injured": 0}),
    # colloquial tolls
    ("死了151个人", {"deaths": 151}),
    ("这次事故又死了一个人", {"deaths": 1}),
    ("听说死了两个，还有3个人受伤", {"deaths": 2, "injured": 3}),
    ("3个人都死了", {"deaths": 3}),
    ("十一条人命啊", {"deaths": 11}),
    ("一场大火，没了两条命", {"deaths": 2}),
    ("大火夺走了3条生命", {"deaths": 3}),
    ("爆炸夺去了5名工人的生命", {"deaths": 5}),
    ("烧死3人", {"deaths": 3}),
    ("塔吊倒塌砸死一名工人", {"deaths": 1}),
    ("水库淹死了两个孩子", {"deaths": 2}),
    ("货车侧翻压死两名行人", {"deaths": 2}),
    ("3名消防员在灭火中牺牲", {"deaths": 3}),
    ("2名老人在火灾中去世", {"deaths": 2}),
    ("造成5人遇难", {"deaths": 5}),
    ("两死三伤", {"deaths": 2, "injured": 3}),
    ("车祸3死12伤", {"deaths": 3, "injured": 12}),
    ("撞车致1死2伤", {"deaths": 1, "injured": 2}),
    ("遇难者增至8人，另有4人失联", {"deaths": 8, "missing": 4}),
    ("罹难者已升至21人", {"deaths": 21}),
    # 死伤/伤亡: dead and injured lumped together, counted conservatively as injured only
    ("爆炸造成死伤20余人", {"injured": 20}),
    ("造成20余人伤亡", {"injured": 20}),
    ("事故造成3人死亡、5人受伤，伤亡人数共8人", {"deaths": 3, "injured": 5}),
    # Traditional colloquial and formal forms
    ("十一條人命", {"deaths": 11}),
    ("沒了兩條命", {"deaths": 2}),
    ("礦難已致3人死亡、2人失蹤", {"deaths": 3, "missing": 2}),
    ("2人遇難，5人受傷", {"deaths": 2, "injured": 5}),
    ("遇難者增至12人", {"deaths": 12}),
    ("4人罹難，1人重傷", {"deaths": 4, "seriously_injured": 1}),
    ("車禍造成死傷10餘人", {"injured": 10}),
    ("無人死亡", {"deaths": 0}),
    # lives saved, not lost
    ("消防员救回3条人命", {}),
    ("他从废墟里捡回一条命", {}),
    ("猫有九条命", {}),
    # negated, hyperbolic, near-miss and hypothetical: no positive count
    ("没有人员死亡", {"deaths": 0}),
    ("没死人，3个人受了点惊吓", {"deaths": 0}),
    ("火灾没有造成人员伤亡", {"deaths": 0, "seriously_injured": 0, "injured": 0}),
    ("差点死了两个人", {}),
    ("3人险些被砸死", {}),
    ("吓死了，3个人差点被砸", {}),
    ("笑死，3个人抢一个座位", {}),
    ("累死了，加班到3点", {}),
    ("今天热死了3个人都中暑", {"sickened": 3}),  # 热死了 is hyperbole; 中暑 is a harm counted
    ("电脑死机了3次", {}),
    ("如果发生地震，可能造成上百人死亡", {}),
    ("如果有3人死亡，后果不堪设想", {}),
    ("要不是他，3个孩子就淹死了", {}),
    ("否则至少10人遇难", {}),
    ("如果不是及时疏散，后果不堪设想。昨晚某小区发生火灾，1人受伤。", {"injured": 1}),
    ("事故原因主要是电线老化，造成3人死亡", {"deaths": 3}),
    # 走了 ("left" as often as "died") is deliberately not a death
    ("公司这个月走了三个人", {}),
    ("走了三个人", {}),
    # refuted claims are not counted
    ("网传死亡10人不实，实际死亡3人", {"deaths": 3}),
    ("网传某地爆炸致10人死亡，经核实系谣言", {}),
    # loss amounts written without 元 / 经济: 万 or 亿 next to 损失 is money
    ("四五百万的损失啊，今年算是白干了", {"economic_loss": 5_000_000}),
    ("家具城一个亿的火灾", {"economic_loss": 100_000_000}),
    ("这场冰雹损失了三百多万", {"economic_loss": 3_000_000}),
    ("直接经济损失超过2亿", {"economic_loss": 200_000_000}),
    ("台风造成財產損失約5000萬元", {"economic_loss": 50_000_000}),
    # ... in yuan: the thresholds are in 元, so another currency is not counted against them
    ("目前已证实有7人在这次冰暴中死亡，直接损失超过2000多万加元", {"deaths": 7}),
    ("损失约500万美元", {}),
    # goods said destroyed, by their value, are the direct loss; goods merely owned or earned are not
    ("两个多亿的货全烧了，好在半夜没人上班", {"economic_loss": 200_000_000}),
    ("仓库里价值3000萬元的棉花被燒毀", {"economic_loss": 30_000_000}),
    ("一把火烧掉了上亿元的货", {"economic_loss": 100_000_000}),
    ("价值上亿的设备被洪水冲毁", {"economic_loss": 100_000_000}),
    ("他家仓库存了两个多亿的货", {}),
    ("烧烤店一年营收两百万", {}),
    # 没了 closing the clause after a count of people is a death; with an object it is not
    ("4个人就这么没了", {"deaths": 4}),
    ("三个人就这样没了。高温补贴呢？", {"deaths": 3}),
    ("35个人就这样没了，很多是下班回家的学生", {"deaths": 35}),
    ("厂子倒闭，3个人没了工作", {}),
    # a couple is two people with no numeral of their own
    ("出租屋昨晚着火，一对小夫妻都没了", {"deaths": 2}),
    ("大火中夫妻俩双双遇难", {"deaths": 2}),
    ("两口子都没跑出来", {"deaths": 2}),
    ("一对夫妻在店里吵架，民警到场调解", {}),
    ("钱没了，人也找不到", {}),
    # who they were sits between the count and the keyword
    ("三名环卫工人高温天连续作业后中暑死亡", {"deaths": 3}),
    ("6名初中生在晚自习后的楼梯踩踏中丧生", {"deaths": 6}),
    ("最后8名被困矿工已全部找到", {"trapped": 8}),
    ("14名遇难矿工家属均已得到妥善安置", {"deaths": 14}),
    # killing verbs
    ("犯罪嫌疑人在三个月内先后杀害3名独居女性", {"deaths": 3}),
    ("三个月杀了三个人，就住在隔壁小区", {"deaths": 3}),
    # more connectives between a keyword and its count
    ("死亡人數維持11人", {"deaths": 11}),
    ("失联的30名扑火人员已全部找到", {"missing": 30}),
    ("H7N9死亡病例已有5例", {"deaths": 5}),  # and the 9死 of H7N9死亡 is a name, not a toll
    ("COVID-19死亡病例3例", {"deaths": 3}),
    # colloquial symptoms
    ("食堂午饭后一百多人拉肚子", {"sickened": 100}),
    ("吃完酒席，二十多人上吐下泻", {"sickened": 20}),
    # coordinated counts share the keyword after the last one
    ("两名医生、一名病人死亡，四人受伤", {"deaths": 3, "injured": 4}),
    ("27名森林消防指战员和3名地方扑火人员失联", {"missing": 30}),
    ("3名大人和2名儿童遇难", {"deaths": 5}),
    ("船上12人中9人获救、3人遇难", {"deaths": 3, "rescued": 9}),
    # bodies found are deaths; a donor count is not
    ("已发现遇难者遗体29具，仍有3人下落不明", {"deaths": 29, "missing": 3}),
    ("救援人员至今未发现生还迹象的被困矿工还有12人", {"trapped": 12}),  # a count after 还有
    ("失联人员尚有3人", {"missing": 3}),
    ("搜救队找到29具遗体", {"deaths": 29}),
    ("4名学生遗体已于21日全部找到", {"deaths": 4}),
    ("发现一具男性尸体", {"deaths": 1}),
    ("全市累计实现遗体捐献300例", {}),
    # trapped, net of those rescued and of the outcomes reported after them (still trapped count)
    ("被困的11名矿工中，已有3人成功获救升井，其余8人仍被困井下", {"trapped": 8, "rescued": 3}),
    ("12人被困，9人获救，2人遇难，1人失联", {"deaths": 2, "missing": 1, "trapped": 0, "rescued": 9}),
    ("14名工人被埋。经全力救援，9人获救，5人遇难。", {"deaths": 5, "trapped": 0, "rescued": 9}),
    ("16名游客被困约1小时，后全部安全撤离", {"trapped": 0}),
    ("约200名游客一度被困，被困游客已全部安全转移", {"rescued": 200}),
    ("消防部门共营救被困群众47人", {"rescued": 47}),
    ("造成8名作业人员被困。截至目前，已发现3名遇难者，5人仍在搜救中。", {"deaths": 3, "trapped": 5}),
    ("11名失联人员中，已有8人遗体被打捞出水，3人仍在搜寻", {"deaths": 8, "trapped": 3}),
    # ... but not a rescue of others, a crowd moved away, or a count that is not a remainder
    ("事发时井下作业57人，其中45人安全升井，12人被困", {"trapped": 12, "rescued": 45}),
    ("12人被困，周边群众均已转移", {"trapped": 12}),
    ("3人死亡、5人失联，另有2人仍被困", {"deaths": 3, "missing": 5, "trapped": 2}),
    # people who did not come back (没逃出来 is a death, 没回来 unaccounted for)
    ("三十几个兄弟一个都没上来", {"missing": 31}),
    ("一车退休老人去看红叶，十八个没回来……", {"missing": 18}),
    ("十四个兄弟没能回家。", {"missing": 14}),
    ("十四个人再也回不了家。", {"missing": 14}),
    ("十二个女工没逃出来", {"deaths": 12}),
    ("31个人，一个都没救出来。", {"deaths": 31}),
    ("3个人没回来上班", {}),
    ("一个都没少", {}),
    ("赌博害人，十一个家庭散了", {}),  # not a count of the dead
    # compact and headline tolls, a keyword right after 个
    ("大火夺33命", {"deaths": 33}),
    ("10个人（9死1失联）", {"deaths": 9, "missing": 1}),
    ("六十多个重伤", {"seriously_injured": 60}),
    ("二十八个遇难，五个至今没找到。", {"deaths": 28, "missing": 5}),
    ("还有10人没找到", {"missing": 10}),
    ("3个人没找到工作", {}),
    # a death after failed treatment: the count before it, else one
    ("一名72岁患者因基础疾病加重经抢救无效死亡", {"deaths": 1}),
    ("5名老人在房间内昏迷不醒，经送医抢救无效死亡", {"deaths": 5}),
    ("一名工人受伤，经抢救无效死亡", {"deaths": 1, "injured": 1}),
    ("其中5例因基础疾病叠加感染死亡", {"deaths": 5}),
    ("死亡病例已有5例", {"deaths": 5}),
    ("3名工人中毒死亡", {"deaths": 3}),
    # cases and symptoms after a meal; evacuees counted without 人
    ("312名中小学生在饮用同一批次学生奶后出现腹痛、呕吐等不适症状到医院就诊", {"sickened": 312}),
    ("累计报告病例163例", {"sickened": 163}),
    ("疏散2.3万居民", {"evacuated": 23_000}),
    ("紧急疏散下风向3个乡镇群众约1.2万人", {"evacuated": 12_000}),
    ("转移疏散周边12个村庄及县城东部群众5.6万人", {"evacuated": 56_000}),
    # nobody survived: the count of people aboard is the dead, wherever it stands in the sentence
    ("机上132人无一生还", {"deaths": 132}),
    ("一辆载有23人的客车坠入江中，车上人员无一生还", {"deaths": 23}),
    ("渡船上載有乘客31人，無人生還", {"deaths": 31}),
    ("车上14人，全部遇难", {"deaths": 14}),
    ("12名被困矿工全部获救，无一伤亡", {"trapped": 0, "deaths": 0, "seriously_injured": 0, "injured": 0}),
    ("全村37户房屋无一幸免", {}),
    ("3名矿工未能生还", {"deaths": 3}),
    ("遇难者人数已升至12人", {"deaths": 12}),
    ("罹難者增至31人", {"deaths": 31}),
    ("失联12人。经多方核查，失联人数已减至4人", {"missing": 4}),
    # the trapped or missing found dead are the dead, not the dead plus as many still out
    ("11名失联人员全部遇难", {"deaths": 11}),
    ("最后8名被困矿工已全部找到，均已遇难", {"deaths": 8}),
    ("采石场塌方，6名作业人员被埋。经连夜搜救，6人已全部找到，均已遇难。", {"deaths": 6, "trapped": 0}),
    ("12名矿工被困，其中3人遇难", {"deaths": 3, "trapped": 9}),
    ("爆炸造成8人被困，另有3人死亡", {"deaths": 3, "trapped": 8}),
    ("医护人员赶到时，2名老人均已无生命体征", {"deaths": 2}),
    ("共有9人获救，4人没能救上来", {"rescued": 9, "deaths": 4}),
    ("8人被送往医院，生命体征平稳", {}),
    # hearsay the post questions, nobody (无一人), 衣被困难: no figure
    ("听说城北新村塌楼了，死了二十多个人，有没有人知道真假？", {}),
    ("灾民和救灾人员无一人冻死", {}),
    ("为3万余人解决了衣被困难", {}),
    # numbers that are not figures
    ("2023年5月12日14时28分发生地震", {}),
    ("该厂有300名员工", {}),
    ("死亡率下降12%", {}),
    ("化工厂爆炸后，市医院收治重症伤员12名", {"seriously_injured": 12}),
    ("重伤员12人", {"seriously_injured": 12}),
    ("小区流浪猫被毒死了十几只", {}),
    ("暴雨淹死了三百多头羊", {}),
    # bodies recovered are the dead, not people rescued
    ("坍塌现场已搜救出6名遇难者，另有2人受伤", {"deaths": 6, "injured": 2}),
    ("消防员从废墟里抬出来三具，还在挖", {"deaths": 3}),
    ("殡仪馆这个月火化了两百多具", {}),
    ("花坛里的月季冻死了二十几盆", {}),
    # the trapped become the dead and the still missing; a missing person found dead is not missing
    ("井下22人被困。截至今晨，已搜救出9名遇难者，仍有13人失联", {"deaths": 9, "missing": 13}),
    ("找到最后1名失联人员遗体，遇难人数上升至18人，无失联人员", {"deaths": 18, "missing": 0}),
    ("此前通报失联9人，其中2人联系上，失联人数经核实修正为7人", {"missing": 7}),
    ("两位老人没抢救过来", {"deaths": 2}),
    ("4名初中生结伴到河边野泳，不幸溺水身亡", {"deaths": 4}),
    ("所幸无人遇难", {"deaths": 0}),
    # hearsay the post's own check replaces; 损失得有; Cantonese 搵 (找)
    ("来电人反映：听村里人说压死了5个人。回复：经县应急局核实，造成2人死亡、1人轻伤", {"deaths": 2, "injured": 1}),
    ("这次冰雹全村的苹果园基本绝收了，损失得有七八百万", {"economic_loss": 8_000_000}),
    ("已經搵到8具遺體，仲有4個人未搵到", {"deaths": 8, "missing": 4}),
    ("已紧急疏散周边2公里范围内群众8000余人", {"evacuated": 8000}),
    ("此前报道遇难人数为7人。截至今天上午，遇难人数现已上升至11人", {"deaths": 11}),
    ("8名游客被洪水冲走，已找到2名遇难者遗体", {"missing": 8, "deaths": 2}),
    ("塌方后里面还困着十几个工人", {"trapped": 11}),
    ("失联的6名驴友已于今晨全部找到，身体状况良好", {"missing": 0}),
    ("失联的4名学生已全部安全找到", {"missing": 0}),
    # a roundup's other items and an article's background: their figures are not this incident's
    ("今日要闻 1. 本市：沪渝高速发生三车追尾事故，造成3人死亡。 2. 国际：土耳其东部地震死亡人数升至1200人。",
     {"deaths": 3}),
    ("粉尘爆炸已致19人死亡。2014年，昆山一金属制品企业曾发生粉尘爆炸事故，造成146人死亡。", {"deaths": 19}),
    ("某矿透水，已发现2名遇难矿工。该矿曾于2010年发生透水事故，造成32人遇难。", {"deaths": 2}),
    ("商场火灾死亡人数上升至11人。应急管理部数据显示，去年全国共接报火灾82.5万起，死亡1381人。", {"deaths": 11}),
    ("泥石流冲进施工营地。十二个人失联，凶多吉少了 每年都有人把营地建在沟口", {"missing": 12}),
    ("山洪冲毁了河边的农家乐。这里每年汛期都淹，这次已有12人遇难", {"deaths": 12}),
    # none left alive and never came back, said on social media, of the people counted before
    ("到天黑捞上来二十几个，一个有气的都没有", {"deaths": 21}),
    ("村里5个年轻人出去打工，没有一个活下来", {"deaths": 5}),
    ("11个农民工兄弟早上上班坐电梯，就再也没下来", {"deaths": 11}),
    ("两个孩子去河边玩，就再也没回家了", {"deaths": 2}),
    ("他2018年去了深圳，再也没回来过", {}),
    ("5个孩子，一个都没救过来", {"deaths": 5}),
    ("吊笼直接从二十几层掉到底，一个都没救过来", {"deaths": 1}),  # not one saved: one at least
    ("三十几个兄弟一个都没上来", {"missing": 31}),
    ("我爸那天再也没醒来", {}),
    # Cantonese: 咗 is 了, 冇 is 没
    ("新聞話內地一間餐廳煤氣爆炸，死咗四個，冇人失蹤", {"deaths": 4, "missing": 0}),
    # found on posts written outside the corpus (2026-11-24): connectives, labels, old numerals, the freed
    ("事故死亡人数达到30人", {"deaths": 30}),
    ("死亡人數已達到31人", {"deaths": 31}),
    ("【伤亡情况】死亡：3人；受伤：7人。", {"deaths": 3, "injured": 7}),
    ("遇难人数更新为12人", {"deaths": 12}),
    ("死亡人数上升到了9人", {"deaths": 9}),
    ("工地塌方，廿一人被困", {"trapped": 21}),
    ("厂房被淹，损失起码三四百万", {"economic_loss": 4_000_000}),
    ("仓库大火，两个多亿的设备全没了", {"economic_loss": 200_000_000}),
    ("一氧化碳中毒 4名工人死亡", {"deaths": 4}),  # a space parts 中毒 from the dead
    ("某村120名群众被困，被困群众已全部安全转移", {"trapped": 0}),  # the trapped crowd itself got out
    ("电梯故障，3人被困，后被物业救出", {"trapped": 0}),
    ("12名矿工被困，其中3人被救出，9人仍被困", {"trapped": 9, "rescued": 3}),
    ("6人被困井下，救援人员已救出2人", {"trapped": 4, "rescued": 2}),
    ("仓库失火，损失过亿", {"economic_loss": 100_000_000}),
    ("两个师傅当场就没了", {"deaths": 2}),
    ("八个兄弟没能上来，已造成8人死亡", {"deaths": 8, "missing": 0}),
    ("已造成8人死亡，3人失踪", {"deaths": 8, "missing": 3}),
    ("三人被救出后经全力抢救，均不幸身亡。", {"deaths": 3}),
    ("5人被救出后送医，其中1人经抢救无效死亡", {"deaths": 1, "rescued": 5}),  # some of them, not all
    ("养老院流感聚集性疫情，15名老人发热", {"sickened": 15}),
    ("工地上3人发烧", {}),  # a fever with no food or disease around it is no case count
    # a verb of harm with 伤, the count before or after it
    ("犯罪嫌疑人持刀将两名商贩砍伤，伤者已送医救治", {"injured": 2}),
    ("一辆轿车撞伤3名行人，其中1人重伤", {"injured": 3, "seriously_injured": 1}),
    ("去医院烧伤科看了3次", {}),
    # freed with no count of its own, said plainly; a rescue still being tried frees no one
    ("电梯卡住，里面3个人被困了40多分钟，最后是消防来才把人弄出来", {"trapped": 0}),
    ("5个人被困在井下，救援队正想办法把人弄出来", {"trapped": 5}),
    ("村里被困的14个人，消防和民兵天亮前都用冲锋舟接出来了", {"trapped": 0}),
    ("黑石岭小煤窑塌了，埋了四个人，正在挖", {"trapped": 4}),
    ("老人去世后埋了三天", {}),
    # not pulling through, where care was given, is a death; a firm's is not
    ("一家4口都中毒了，送到县医院，今天传来消息，家里的老爷爷没挺过来", {"sickened": 4, "deaths": 1}),
    ("公司没挺过来，倒闭了", {}),
    # a hashtag tags this post, whatever general remark stands before it
    ("邻居发现时一家人已经没了。每年冬天都有这种事，拜托大家检查热水器 #北岭一家三口身亡#", {"deaths": 3}),
    # spoken counts: 号人, 一个当场死了, 三个到现在也没见着人, 还压着, 找不到, 撤了, 已经没了
    ("井下三十多号人没上来", {"missing": 30}),
    ("到晚上两百多号人都上吐下泻", {"sickened": 200}),
    ("两个搭棚师傅跌了下来，一个当场死了，另一个送了去医院", {"deaths": 1}),
    ("船上八九个人，捞上来六个都还活着，还有三个到现在也没见着人", {"missing": 3}),
    ("楼里估计还压着十来个人", {"trapped": 10}),
    ("少说有四十来口人找不到", {"missing": 40}),
    ("找不到工作好几个月了", {}),
    ("周边六个村一共撤了一万两千多人", {"evacuated": 12000}),
    ("目前找到3个人已经没了，下面还压着7个，正在挖", {"deaths": 3, "trapped": 7}),
    ("3个人已经没了工作", {}),
    # a loss after 就 / 都 / 起码; a count of people after 就 is still "then"
    ("光大棚和作物损失就上千万了", {"economic_loss": 10_000_000}),
    ("损失都起码七八百万", {"economic_loss": 8_000_000}),
    ("有人受伤就3个小伙子冲上去", {}),
    # those searching are not the missing; the trapped, got out, all died; a drug names a sickness
    ("组织海事、消防等120余人沿江下游搜寻失踪人员，船上3人失踪", {"missing": 3}),
    ("2名工人被埋，经救援后送医，均经抢救无效死亡", {"deaths": 2}),
    ("12名矿工被困，经全力救援，9人获救，3人均已遇难", {"deaths": 3, "trapped": 0, "rescued": 9}),
    ("吃了一个礼拜胶囊，对门的张阿姨和另外两个老人都住院了", {"sickened": 2}),
    # bodies carried out are not the trapped freed; livestock are not people
    ("某煤矿透水事故被困的12名矿工，遗体今天都已抬出来了", {"trapped": 12}),
    ("隧道塌方12人被埋，救援人员把人都拉出来时已经没了呼吸", {"trapped": 12}),
    ("养殖场昨夜停电，送去兽医站抢救的两百多头猪没挺过来", {}),
    ("昨晚G15沈海高速发生车祸，肇事货车司机系外地人，事故造成3人死亡、2人受伤", {"deaths": 3, "injured": 2}),
    # 13个氯气中毒的 (the keyword and 的 end the clause); 灼伤
    ("县医院说收治了13个氯气中毒的，有两个老人比较重在吸氧", {"sickened": 13}),
    ("两名去关阀门的工人被化学品灼伤", {"injured": 2}),
    # (second review) not people: wages still owed, a shop's lamps, ducklings, a missed appointment, 连…都
    ("老板跑路了，还压着30多名工人三个月的工资没发，工人们今天堵在厂门口讨薪", {}),
    ("给孩子买的5只小鸭子，才两天，三个已经死了", {}),
    ("楼道燃气泄漏报修了三天，物业说派的3个维修工到现在都没见到人", {}),
    ("村里后山又滑坡了，可现在村里连10个年轻人都找不到了", {}),
    ("【暴雨预警解除】在各水库值守的300余名干部群众已撤出", {}),
    # searchers who became victims keep their count; a confirmed toll equal to a refuted one stays
    ("5名排查险情的村干部被泥石流冲走，目前仍在搜寻", {"missing": 5}),
    ("关于网传“XX物流园火灾致3人死亡、20余人受伤”的情况说明：经核实，该起火灾共造成3人死亡、2人轻伤，网传“20余人受伤”不实。",
     {"deaths": 3, "injured": 2}),
    ("三个工人挂完吊瓶就再没醒过来", {"deaths": 3}),
    # a plan's figure: 预计需转移
    ("省防指已启动防台风Ⅱ级应急响应，预计需转移危险区域群众约80万人", {}),
    # the point of 7.0级 ends no clause of a what-if
    ("假设在城区下方断裂带发生7.0级地震，最坏情况下可能造成上千人伤亡", {}),
    # bodies found, said the spoken way; 长者 are people; a toll corrected downwards after the keyword's own clause
    ("船上一共21个人，11个被救上来，7个已经找到遗体，还有3个没找到。", {"deaths": 7, "missing": 3}),
    ("我院先后有21位长者和3名护理员出现呕吐、腹泻症状", {"sickened": 24}),
    ("此前通报的11名遇难者中，有2份遗骸系重复统计。现核定事故遇难人数为9人，另有1人受伤。", {"deaths": 9, "injured": 1}),
    ("累计报告病例58例，均为轻症，无重症和死亡病例。", {"sickened": 58, "deaths": 0}),
    # counts the way people type them: 仨 / 俩, 走了四个 beside an accident, s了仨 (死了 spelt to slip a filter),
    # 埋了五六个人, 没救过来 with the hospital told after it
    ("化工厂木乍了 听说里面死了仨 还有好几个🚑拉走了", {"deaths": 3}),
    ("两伙人动了刀 后来听说s了仨 还有俩重伤在ICU", {"deaths": 3, "seriously_injured": 2}),
    ("隧道出口那块 连环追尾 七八辆车怼一起了 听现场的大车司机说 走了四个😭", {"deaths": 4}),
    ("自建房塌了😭 里头埋了五六个人 消防武警都来了 正在刨", {"trapped": 6}),
    ("一家五口吃菌子全中毒了 老奶奶没救过来 其他几个还在州医院", {"sickened": 5, "deaths": 1}),
    # …not staff who quit, the carried-off injured, a helper who walked over, a joke
    ("店里这个月走了三个人，都嫌工资低", {}),
    ("煤气罐爆了，救护车拉走了4个人，有一个好像已经不行了", {}),
    ("车祸现场，走了两个人过来帮忙", {}),
    ("我们仨去吃饭了，仨瓜俩枣的事别计较", {}),
    # 其中…核定 is a subset of the toll, and 更正…姓名 corrects a name: neither replaces the count
    ("煤矿透水事故已致12人遇难，其中已核定身份的遇难者9人，其余3人正在进行DNA比对", {"deaths": 12}),
    ("事故共造成10人死亡，现更正此前报道中1名遇难者的姓名", {"deaths": 10}),
    # the spoken counts' overreach, from a review (2026-11-25): people who left, games, burials, things, pets, months
    ("厂里出了事故以后 走了三个，现在人手不够", {}),
    ("追尾之后 交警来了仨 走了俩 剩一个在拍照", {}),
    ("楼下炸鸡店生意不行 这个月走了俩", {}),
    ("打排位 s了仨 还是输了", {}),
    ("这周面试pass了三个人，简历太水了", {}),
    ("清明节带孩子去烈士陵园 这里埋了三百多名战士", {}),
    ("阳台上的多肉死了三个😭 太难养了", {}),
    ("给孩子买的小仓鼠没挺过来，花了120块", {}),
    ("塌方埋了仨俩人", {"trapped": 3}),
    ("咱俩的事别往外说 前两天厂里出了事故", {}),
    # a repost's newer layer answers its older ones: the official toll, not the street's
    ("不信谣不传谣 //@公安：男子持刀伤人，致1人死亡、2人受伤。网传“菜市场死了五六个”不实。//@街坊：菜市场有人砍人！！死了五六个",
     {"deaths": 1, "injured": 2}),
    ("转发微博 //@应急管理：车间发生爆燃，事故造成3人死亡、2人受伤。 //@那些事儿：园区那边炸了！！听说死了十几个人",
     {"deaths": 3, "injured": 2}),
    ("刚又找到1名遇难者 //@县融媒：山洪已致5人遇难", {"deaths": 5}),
    # the official account after a quoted rumour is verified, not refuted with it
    ("网传“高速隧道大客车起火烧死二十多人”。据杉浦市人民政府新闻办公室通报，截至目前已确认11人死亡、23人受伤，网传数字不实。",
     {"deaths": 11, "injured": 23}),
    # deaths said without a word for death; a proverb's 丢了一条命; 问过身边 is no 过身
    ("电动车跟渣土车刮了 骑车的大姐当场就不行了", {"deaths": 1}),
    ("早上邻居发现的时候人已经压在下面没气了", {"deaths": 1}),
    ("送到縣醫院確診狂犬病，前晚過身咗", {"deaths": 1}),
    ("沼气池抽渣，三个都倒在里头了，医生说三个人都没得了", {"deaths": 3}),
    ("电动车轮胎没气了，他当场就走了，气得不行", {}),
    ("吃了菌子出现呕吐马上到医院，莫为一口鲜，丢了一条命", {}),
    ("我问过身边做工程的朋友，尾款都拖着", {}),
    # a newer layer that neither corrects nor answers hearsay leaves the older toll alone: a part, another
    # incident, a question, a rumour, a refuted figure other than the toll, a reader's own 无人员伤亡
    ("遇难者中有2人是学生，太心痛了 //@平安通报：大巴坠河事故已造成8人死亡，4人受伤", {"deaths": 8, "injured": 4}),
    ("昨天隔壁县也出了车祸，死了1个 //@交警通报：高速连环追尾，已造成6人死亡，12人受伤", {"deaths": 6, "injured": 12}),
    ("死了2个？ //@小王：转发 //@市应急局：化工厂爆炸已致12人死亡", {"deaths": 12}),
    ("听说只死了1个，官方是不是报多了 //@应急管理局：事故已造成11人死亡", {"deaths": 11}),
    ("网传死了50人是谣言，别信 //@应急管理局：矿难已造成11人死亡，救援仍在进行", {"deaths": 11}),
    ("我们小区上次着火无人员伤亡，这次就惨了 //@消防：居民楼火灾致5人死亡",
     {"deaths": 5, "seriously_injured": 0, "injured": 0}),
    ("更正：经核实死亡人数为2人，此前通报有误 //@县应急局：爆炸致5人死亡", {"deaths": 2}),
    # 据…通报 inside the claim is the claim's own
    ("网传据内部通报死了30人，经核实不实，事故造成2人受伤。", {"injured": 2}),
    ("网传已确认30人死亡，纯属谣言，事故造成2人受伤", {"injured": 2}),
    # 当场就没了 / 不行了 / 没气了 of things, a laugh, a run; 别过身 turns away
    ("谈了半年的那单生意，对方一个电话，当场就没了。", {}),
    ("我们宿舍4个人看完这个视频当场就不行了，笑到打滚", {}),
    ("打球的人都散了，篮球也没气了，明天再约", {}),
    ("跑完三千米，我们几个人都没气了", {}),
    ("旁边三个人当场就走了，剩下我一个在车祸现场录视频", {}),
    ("他别过身了，不想让我看见他哭", {}),
    # 手机翻了个面 is no crash, so 走了三个人 left
    ("吃饭时他把手机翻了个面，饭局一下走了三个人，尴尬", {}),
    # 莫名其妙 / 特别 / 不小心 warn of nothing; 别看了，三条人命 are the dead
    ("好好的小伙子去做个小手术，莫名其妙丢了一条命，医院到现在都没个说法", {"deaths": 1}),
    ("这次特别惨，丢了两条人命，全是年轻人", {"deaths": 2}),
    ("大家都别围观了，十一条人命，给逝者一点尊重", {"deaths": 11}),
    # the cases a disease report counts; close contacts are no cases; 报告3例死亡 are deaths
    ("麻疹病例，截至12月9日累计报告7例，均住院治疗。已判定密切接触者213人，全部落实医学观察。", {"sickened": 7}),
    ("县疾控中心累计报告3例死亡", {"deaths": 3}),
    ("工厂向安监部门上报事故报告3份", {}),
    # the actual count replaces the first one; a count that rises with 涨到 or from…to
    ("昨日通报学生就餐后出现不适症状132人，因重复登记，实际就诊学生为89人", {"sickened": 89}),
    ("婚宴食物中毒，就诊人数从61人涨到104人", {"sickened": 104}),
    # a day's 走了 after care for the dying is a death; the discharged and the doctor walk out
    ("吃了野生菌上吐下泻，送到县医院，奶奶昨天走了，另外三个还在ICU", {"deaths": 1}),
    ("确诊甲流后在儿童医院ICU抢救了三天，今天早上走了", {"deaths": 1}),
    ("在医院输完液，下午就走了", {}),
    ("抢救室里忙了一夜，医生早上走了", {}),
    ("奶奶在ICU抢救了两天，昨天还是走了", {}),  # a family's grief, no incident named
    # those searching are not those sought
    ("三名驴友失联。目前，公安、消防、民间救援队近200人正在搜寻", {"missing": 3}),
    ("民间救援队近200人还在搜寻", {}),
    ("12人被困，其中5人仍在搜救", {"trapped": 5}),
    # symptoms counted where the post names a poisoning or a disease
    ("车间23名工人出现头晕、恶心症状，疑似硫化氢中毒", {"sickened": 23}),
    ("昨天爬山回来有点头晕恶心，3个人都是", {}),
    # from a review of these rules: tests reported, subsets, visitors, errands, the still-sought
    ("我区发现1例输入性麻疹病例，已排查密切接触者120人，采样检测报告120例均为阴性", {"sickened": 1}),
    ("出现呕吐腹泻症状的学生共146人，实际住院19人", {"sickened": 146}),
    ("爸爸食物中毒住进ICU抢救，我和姐姐轮流陪护，姐姐昨天走了，换我来陪", {}),
    ("宿舍四个人全都上吐下泻，昨天夜里走了十几趟厕所", {"sickened": 4}),
    ("工厂食堂午餐后30多人上吐下泻，输完液，大部分人今天早上就走了，回厂上班", {"sickened": 30}),
    ("外公肺部感染住进ICU，插管一周，今天早上走了。", {}),
    ("我二舅吃了毒蘑菇上吐下泻，送到医院第二天就走了", {"deaths": 1}),
    ("1人遇难，还有2名渔民正在搜寻中", {"deaths": 1, "trapped": 2}),
    ("200余名救援人员正在搜寻中", {}),
    ("山洪冲毁景区栈道，游客已全部撤离，仍有5名工作人员还在搜寻中。", {"trapped": 5}),
    ("某职校诺如疫情持续，累计报告达113例", {"sickened": 113}),
    # trapped, then all led out; a toll corrected after a recheck
    ("几百个乘客被困在车厢里，后来工作人员打开尾门，全部安全疏散出来了", {"trapped": 0}),
    ("商场屋顶坍塌，4名顾客被困，其余人员已全部疏散", {"trapped": 4}),  # the rest led out, not the trapped
    ("经核实，爆炸冲击波实际造成2人死亡，另有5人在随后的火灾中遇难", {"deaths": 7}),  # 另有…遇难 adds to the count (twenty-fourth session)
    ("某镇烟花厂爆炸，网传死亡20多人，经核实实际死亡3人，另有7人受伤。", {"deaths": 3, "injured": 7}),
    # 抢救无效走了; 初三一名男生 is one boy of the third year (not 31)
    ("報導說已經有4個孩子搶救無效走了，還有十幾個在醫院", {"deaths": 4}),
    ("白沙区实验中学初三一名男生昨晚从教学楼五楼坠下，送医后抢救无效身亡", {"deaths": 1}),
    ("十余名村民将其围住殴打，该男子经送医抢救无效死亡", {"deaths": 1}),  # the beaten man, not the ten
    ("更正说明：前文称“事故造成4人死亡”有误。经向县交警大队核实，该事故实际造成2人死亡、6人受伤", {"deaths": 2, "injured": 6}),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_extract(text: str, expected: dict[str, int]) -> None:
    assert stated(extract_figures(text)) == expected


def test_a_toll_called_false_is_false_wherever_the_post_repeats_it() -> None:
    text = ("关于网传“KTV火灾致20余人死亡”的情况说明 网上有信息称我区KTV发生火灾致20余人死亡。经核实，火灾造成4人死亡、"
            "7人受伤。网传“20余人死亡”系不实信息。")
    assert stated(extract_figures(text)) == {"deaths": 4, "injured": 7}


def test_case_table_is_large() -> None:
    assert len(CASES) >= 60


def test_evidence_spans_point_at_the_original_text() -> None:
    text = "截至目前，死亡人數升至１２人，３人失聯。"
    figures = extract_figures(text)
    for ev in figures.evidence:
        assert text[ev.start : ev.end] == ev.text
    deaths = figures.chosen(K.deaths)
    assert deaths is not None and deaths.text == "１２人" and deaths.is_update
    assert figures.updated == (K.deaths,)


def test_update_is_recorded_and_highest_wins() -> None:
    figures = extract_figures("事故已造成5人死亡。记者从现场获悉，死亡人数升至8人。")
    assert figures.deaths == 8
    assert K.deaths in figures.updated
    assert [e.value for e in figures.evidence if e.kind is K.deaths] == [5, 8]


def test_refuted_evidence_is_kept_but_not_counted() -> None:
    figures = extract_figures("网传死亡10人不实，实际死亡3人")
    refuted = [e for e in figures.evidence if e.refuted]
    assert [(e.kind, e.value) for e in refuted] == [(K.deaths, 10)]
    assert figures.deaths == 3


def test_qualifiers_travel_with_the_evidence() -> None:
    figures = extract_figures("近30人死亡，10至12人受伤，数十人被疏散")
    assert figures.chosen(K.deaths).qualifier is Qualifier.nearly  # type: ignore[union-attr]
    injured = figures.chosen(K.injured)
    assert injured is not None and injured.qualifier is Qualifier.range and injured.low == 10
    assert figures.chosen(K.evacuated).qualifier is Qualifier.vague  # type: ignore[union-attr]


def test_hypothetical_evidence_is_kept_but_not_counted() -> None:
    figures = extract_figures("如果发生地震，可能造成上百人死亡。昨日一仓库起火，1人受伤。")
    hypo = [e for e in figures.evidence if e.hypothetical]
    assert [(e.kind, e.value, e.text) for e in hypo] == [(K.deaths, 100, "上百人")]
    assert figures.deaths is None and figures.injured == 1


def test_lumped_casualties_are_marked_combined() -> None:
    figures = extract_figures("死伤20余人")
    chosen = figures.chosen(K.injured)
    assert chosen is not None and chosen.combined and chosen.qualifier is Qualifier.at_least
    assert figures.deaths is None


def test_lives_span_covers_the_measure() -> None:
    text = "十一條人命"
    ev = extract_figures(text).chosen(K.deaths)
    assert ev is not None and ev.text == text and (ev.start, ev.end) == (0, len(text))


def test_figures_is_frozen() -> None:
    figures = extract_figures("3人死亡")
    with pytest.raises(Exception):  # noqa: B017 — pydantic raises ValidationError on frozen models
        figures.deaths = 4  # type: ignore[misc]


def test_hong_kong_and_taiwan_country_names_mark_a_foreign_event() -> None:
    from sentinel.classify.grading import grade_text
    from sentinel.domain.codes import TopicCode

    graded = grade_text("肯亚一所寄宿学校爆发集体食物中毒 逾200名学生送医", [TopicCode.food_drug])
    assert graded.non_event is not None and graded.non_event.kind.value == "outside_jurisdiction"
    assert graded.grade.value == "none"


@pytest.mark.parametrize(("text", "expected"), [
    ("我奶奶前天早上在小区门口散步，被一个逆行的电动车撞倒，骨盆骨折，现在在医院躺着", {"injured": 1}),
    ("今天早上五点 一帮人带着挖机来强拆 我爸去拦 被推倒在地上 头磕破了 缝了六针", {"injured": 1}),
    ("下大雨纺织路上有个窨井盖不见了，一个骑电动车的大姐连人带车栽进去，腿骨折了", {"injured": 1}),
    ("打篮球把手摔骨折了，疼死", {}),  # a sport
    ("上次有人在这摔骨折了，一直没人修", {}),  # a past fall in a complaint
    ("来电人称其今年3月在仓库搬货时从货架上摔下，腰椎压缩性骨折，公司拒绝为其申请工伤认定", {}),  # months ago
    ("车祸造成2人受伤，其中1人骨折", {"injured": 2}),  # counted: the count stands
    ("差点被电动车撞倒，吓得我腿都软了", {}),
    # from a second review: sports, money, figures of speech, pets, denials, the past
    ("周末打羽毛球摔了一跤，脚踝骨折，打了石膏", {}),
    ("全场打骨折！骨折价199，手慢无", {}),
    ("价格战打得头破血流，最后谁也没赚到钱", {}),
    ("这句话一针见血，直接打在了要害上", {}),
    ("邻居家的狗被电动车撞了，后腿骨折，主人正在找肇事者", {}),
    ("被电动车轻轻撞了一下，拍片没骨折，虚惊一场", {}),
    ("我爸去年被一辆电动车撞倒，腿骨折，法院判对方赔偿11万元", {}),
    ("骑行爱好者被货车撞倒，小腿骨折，已送医", {"injured": 1}),  # a vehicle hit him: the sport does not excuse it
    ("我爸喝了酒就打她，刚才又把她按在地上打，我妈额头流血", {"injured": 1}),
    ("在厂里干活手被冲床压了 两根手指没了", {"injured": 1}),
])
def test_a_person_hurt_without_a_count_is_one_hurt(text: str, expected: dict[str, int]) -> None:
    """Outside writers grade a person hurt by someone or something as 一般 (twenty-third session, 15 posts of 4,000)."""
    assert stated(extract_figures(text)) == expected


_TWENTY_FOURTH_SESSION_FIGURES = [
    # rounds 25a/25b (hotline orders and health posts that counted no one)
    # a person sought now is one missing (label rule R5)
    ("扩散寻人！我爷爷78岁，有老年痴呆，昨天下午4点左右从小区走失，已报警，有线索请联系", {"missing": 1}),
    ("求助！！有個五歲細路今日下晝喺公園走失咗，搵咗六個鐘都搵唔到人，已經報咗警", {"missing": 1}),
    ("走失的老人今天凌晨已被民警在江边找到，已经平安交给家属", {}),
    ("寻猫启事：昨晚走失一只橘猫，有看到的请联系我", {}),
    # a death on the spot or on arrival, a count after who they were
    ("锅炉发生爆炸，正在操作的司炉工陈某当场身亡", {"deaths": 1}),
    ("打完九价第二针 胳膊疼到我当场去世", {}),
    ("老人起夜摔在卫生间，第二天早上才被发现，送到医院已经不行了", {"deaths": 1}),
    ("午餐后职工出现腹泻症状，累计就诊职工一百二十六名，其中住院19名", {"sickened": 126}),
    ("整个高三百余名学生这两天都在发烧请假，好几个查出来是甲流", {"sickened": 100}),
    # one hurt by a beating, scalding water, a slap
    ("醉汉冲进诊室对值班医生拳打脚踢，医生眼眶骨折", {"injured": 1}),
    ("护理员离开、热水温度过高，导致双腿大面积烫伤", {}),  # 导致 named no blow: a review found it a medical cause as often
    ("护工连着扇了三下耳光，奶奶手背现在还青着一块", {"injured": 1}),
    # rounds 26a/26b (pollution; a rural county)
    ("截至今天中午，共有130余名村民出现流泪、咳嗽、胸痛等氨气中毒症状，被分送到五家医院救治", {"sickened": 130}),
    ("共检测312名儿童，血铅超标41人，其中确诊铅中毒、需要住院驱铅治疗的19人", {"sickened": 41}),
    ("一村民晚上去玉米地看水，踩到了私拉的捕野猪电网，当场触电身亡", {"deaths": 1}),
    ("土坯房半夜塌了一面墙，人被压在下面，早上邻居去喊他才发现，已经没气了", {"deaths": 1}),
    ("两家人为了宅基地吵着吵着就动了手，一个拿锄头把另一个头上打开个口子，缝了十几针", {"injured": 1}),
    # a review of this session's rules (twenty-fourth): what the first forms counted and must not
    ("求扩散！小区电梯坏了一周，打物业电话根本找不到人，12345也没用", {}),
    ("装修公司收了8万定金后老板就找不到人了，已经报警，有同样遭遇的请联系我", {}),
    ("我的电动车昨晚停在楼下，早上下楼就不见了，已经报警了，有看到的请联系我", {}),
    ("我家二哈昨天在公园走丢了，有看到的请联系我", {}),
    ("我妈肺癌晚期，已经扩散了，跑了好几家医院都说找不到合适的治疗方案", {}),
    ("我爸已经联系上了，谢谢大家，寻人信息撤销", {}),
    ("男子失联三天，遗体在河边被发现", {}),  # found dead: no one missing
    ("老人在家突发心梗，昏迷不醒，家人赶紧打了120", {}),
    ("女儿吃了根冰棍后开始发烧，晚上突然抽搐", {}),
    ("输液打了三针才扎进去，现在手背淤青一大片，护士技术也太差了", {}),
    ("切菜的时候菜刀一滑，手划伤了", {}),
    ("看到这个成绩单我当场死亡", {}),
    ("我家狗狗昨天在小区门口被一辆车撞了，当场死亡，司机直接开走了", {}),
    ("幸好司机并未当场死亡，送医后已脱离生命危险", {}),
    ("爷爷突发脑梗，送到医院已经不行了", {}),
    ("结核病筛查，共计1200例，均未发现异常", {}),
    ("幼儿园今年累计30例手足口病康复返园，目前无新增", {}),
    # …and what they should count
    ("#寻人# 13岁男孩周五下午离家出走，至今未归，家人已报警，有见到的请联系", {"missing": 1}),
    ("【寻人】我妹妹昨晚放学后一直没回家，电话关机，已报警，有看到的请联系，希望她平安！", {"missing": 1}),
    ("村民王某在自家田里被高压线击中，当场身亡", {"deaths": 1}),
    # a second review (twenty-fourth session): a cause in another sentence, walk-outs, a bracelet
    ("隔壁装修天天砸墙砸到半夜。今早起床头晕，在卫生间摔了一跤，额头缝了5针。", {}),
    ("医生说是长期缺钙导致的。前天在卫生间滑倒，髋部骨折了", {}),
    ("车间出了安全事故后，老板说这个月奖金全扣，当场走了三个人。", {}),
    ("回家以后才发现我放在包里的那只金手镯不见了，我儿子已经报警了", {}),
    ("烟花厂炸了 整个山头都是烟 村里人说没了三十多个 都是附近的工人", {"deaths": 30}),
    ("自建房塌了 听说压了四个人在里面 挖掘机还在挖", {"trapped": 4}),
    ("工资没了三个月，老板跑了", {}),
    # round 28a (homes and the city's management)
    ("发现独居的刘大爷倒在厨房，燃气灶阀门开着。120到场时老人已经没了呼吸。", {"deaths": 1}),
    ("半夜暖气片接口突然爆开，七八十度的热水喷了一屋子，我奶奶起夜被烫伤了双脚", {"injured": 1}),
    ("跑完步感觉已经没了呼吸的力气", {}),
    # a third review and rounds 30a/30b (eating; Traditional and Cantonese)
    ("直播翻车之后，粉丝掉了一大截，大客户也没了三个。", {}),
    ("这把排位开局就翻车，一波团战没了仨，队友全在挂机", {}),
    ("家里失火，养的猫没了俩，人都跑出来了", {}),
    ("厂子垮了 老板跑路 压了三十几个人的工资", {}),
    ("奶奶在家突发心梗，120到的时候已经没了呼吸", {}),
    ("孩子溺水，120赶到时已经没有呼吸心跳，经过半小时抢救恢复了自主呼吸，现在在ICU", {}),
    ("截至目前事故已造成3人死亡。另有1人今晨经抢救无效死亡，死亡人数升至3人", {"deaths": 3}),
    ("车祸致2人死亡。另1名死者身份正在确认中", {"deaths": 2}),
    ("大巴侧翻2人当场死亡。另1人送医途中死亡，另1人抢救无效死亡", {"deaths": 4}),
    ("施工挖的坑没有围挡，造成一位老人摔进去腿骨折了", {"injured": 1}),
    ("一辆三轮车把我妈刮倒了，手臂擦伤，司机跑了", {"injured": 1}),
    ("这次流感全家5口人都去挂水了", {}),
    ("婚礼当晚就开始有人闹肚子，到第二天中午，两边亲戚加起来有46个人去卫生院挂水", {"sickened": 46}),
    ("一家三口食完野生菌中毒，阿爺搶救唔返走咗，另外兩個仲留喺醫院。", {"deaths": 1, "sickened": 3}),
]


@pytest.mark.parametrize(("text", "expected"), _TWENTY_FOURTH_SESSION_FIGURES)
def test_figures_of_the_twenty_fourth_session(text: str, expected: dict[str, int]) -> None:
    """Outside rounds 24a–31b and three reviews of their rules (MODEL_CARD, twenty-fourth session)."""
    assert stated(extract_figures(text)) == expected


_TWENTY_FIFTH_SESSION_FIGURES = [
    # rounds 32a-33b: 爆炸死亡人数 is 死亡, not 炸死 followed by 亡人数
    ("枫江瑞达化工爆炸死亡人数升至4人，另有1名员工失联，受伤人员中3人伤势较重已转入ICU。",
     {"deaths": 4, "missing": 1, "seriously_injured": 3}),
    ("炸死了三个人", {"deaths": 3}),
    # a confined space is an accident for a spoken toll
    ("老板喊人下去掏粪池，头一个下去就没声音了，第二个下去拉，也倒了，第三个又下去……没了三个，都是四十几岁的人",
     {"deaths": 3}),
    # the evacuated tallied after a comma
    ("连夜组织园区周边3个村和1个社区群众疏散转移，共计5200余人。", {"evacuated": 5200}),
    ("紧急疏散周边群众，共计3000余人", {"evacuated": 3000}),
    ("学校开展疏散演练，共计1200名师生参加", {}),
    # a recount of a figure given before replaces it
    ("此前通报的126人中含陪同就诊、经医生检查无症状的学生，经逐一核对，确认出现呕吐、腹泻症状的学生为97人，目前均已出院。",
     {"sickened": 97}),
    ("经核实，确认3人死亡，另有2人受伤。", {"deaths": 3, "injured": 2}),
    # dead when the ambulance came; neighbours are people; a swollen wrist after a crush
    ("今天下午小区有人坠楼，救护车来了但人已经没了。", {"deaths": 1}),
    ("等我到店里的时候人已经没了，都下班了", {}),
    ("救护车到了，人已经没了影", {}),
    ("我二叔上去拦被推倒，还有两个邻居也被打伤了", {"injured": 2}),
    ("人挤人的，一个老太太被挤倒在台阶上，手腕肿了，送去卫生院了", {"injured": 1}),
    # spoken tolls of the older rounds: 确认没了, 走了 after a count beside a harm, those carried out covered,
    # 没找着, a count described by what they were doing
    ("工地围墙塌了，砸中了旁边的工棚，现在1个人确认没了，还有2个工友联系不上", {"deaths": 1, "missing": 2}),
    ("送院後證實是甲醇中毒，已經有4個人走了，還有7人在醫院。", {"deaths": 4}),
    ("泥石流冲了沟口的三户人家，黄家老两口和他们的孙女没救出来，三个人都走了", {"deaths": 3}),
    ("台风天三个人都走了，店里就剩我一个", {}),
    ("出了车祸，交警来了，围观的三个人都走了", {}),
    ("刚刚消防抬出来三个 盖着布 都没了 放火那个已经被警察按住了", {"deaths": 3}),
    ("怒江客车坠江事故，8个失踪的人找到5个了，都没了😭 怒江水太急了，还有3个还在找", {"missing": 8}),
    ("尾矿库坝体垮了一个口子，村里说有3个人到现在还没找着", {"missing": 3}),
    ("站台上三个等车的人当场就没了", {"deaths": 3}),
    # rounds 34a-35b: still down below in a mine or under a slide; dug out and gone (西南官话); a 寻人 appeal whose
    # person is named after the verb; an evacuation from a list of places
    ("磐興煤礦今早又救出4個兄弟，還有7個在下面，水泵一直在抽。", {"rescued": 4, "trapped": 7}),
    ("观音岩那边挖了一天一夜了 挖出来3个 都没得气了 还有11个在下头 挖机都不敢用 #观音岩滑坡", {"deaths": 3, "trapped": 11}),
    ("还有7个在下面等着吃饭", {}),
    ("矿上还有7个在里面上班", {}),
    ("急寻！！！8月2日晚8点左右在南屏夜市走失一名男孩，6岁，身高1米1左右。家长已经报警，到现在还没找到", {"missing": 1}),
    ("求扩散！我侄子今晚九点多在滨江公园那边走丢了，8岁。已经报警了，有看到的请联系", {"missing": 1}),
    ("全市已紧急转移沿海低洼地带、危旧房屋及在建工地人员12.6万人", {"evacuated": 126000}),
    # a review of this session's rules: people who left, things, pets and crowds are no toll
    ("追尾事故不严重，车上三个人都走了，留我在这等保险公司", {}),
    ("前面出了车祸，我们车上5个人走了，下车步行去服务区上厕所", {}),
    ("公交站旁边撞了两辆车，三个等车的人都走了，去坐地铁了", {}),
    ("抬出来4个，都没了意识，已送医院抢救", {}),
    ("地窖存了几十个南瓜，现在没了二十个", {}),
    ("在人民公园走失一只泰迪，3岁，已报警，有看到的请联系", {}),
    ("救护车来了，围观的人已经没了", {}),
    ("房子塌了，还有2个在里面写作业", {}),
    ("我们团3个人的行李到现在还没找着", {}),
    # rounds 36a-37b: a household counted in 口人, cases named by their disease, the sick who went to hospital after a
    # meal, the trapped who all came out safe, one found gone while the rest are still down
    ("破门进去老两口和孙子都躺炕上了，120来了也没救过来，三口人全没了……", {"deaths": 3}),
    ("我家三口人去医院看望奶奶", {}),
    ("我们班已经查出9个肺结核了，学校一开始说只是个例", {"sickened": 9}),
    ("长者食堂吃完饭，下午陆续有老人上吐下泻，到今天已经有106个老人去医院了", {"sickened": 106}),
    ("小区有3个人去医院了，说是过敏", {}),
    ("电梯停在9楼和10楼之间，里面4个人被困，最后是消防员来撬开门救出来的，4个人都没事", {"trapped": 0}),
    ("隧道塌方，一共13个人被困，到现在救出来3个，找到1个已经不行了，还有9个在里面", {"deaths": 1, "trapped": 9}),
    # a second review: the worn out, spare pumps, vaccines, a question, a night shift are no toll; the hearsay clause
    # is refuted, the official count kept
    ("煤矿冒顶，挖出来2个已经不行了，还有4个在下面，家属都在井口哭", {"deaths": 2, "trapped": 4}),
    ("军训第三天，带的矿泉水早喝完了，我们排跑完步有4个已经不行了，瘫在操场上", {}),
    ("井下塌方后抽水泵坏了，备用的3个已经不行了，正在从县里调新的", {}),
    ("社区卫生院通知：明天早饭后带身份证来打流感疫苗，每天限100个流感疫苗名额", {}),
    ("请问一个肺结核病人一般要吃多久的药？", {}),
    ("晚饭吃完，老公一个人去医院值夜班了", {}),
    ("群里都在传矿上死了二十多个，刚看了县里通报，5人遇难，比传的少很多", {"deaths": 5}),
    # rounds 39a-39c: a correction notice's quoted figures are what it corrects; a certificate is no death; struck and
    # not saved; a nose bone cracked in a beating; a family still under a slide
    ("关于“9·4”隧道塌方事故的更正说明：我局发布的情况通报中称“事故造成3人遇难”，经核实有误。经最终核实，事故共造成2人死亡、"
     "1人重伤。特此更正。", {"deaths": 2, "seriously_injured": 1}),
    ("为办理父亲房产继承公证往返7次，一个死亡证明复印件要在三个地方盖章", {}),
    ("一位骑电动车下夜班的大姐被撞后车跑了，人没救过来😭 肇事的是辆银色面包车", {"deaths": 1}),
    ("初一的孩子在厕所被4个同学围殴，我侄子鼻梁骨裂，现在还在医院。", {"injured": 1}),
    ("后山滑下来一大片，王叔家老屋整个被埋了，王叔、王婶和他们6岁的小孙子一家三口都在里面😭 挖掘机进不来", {"trapped": 3}),
    ("一家三口都在里面吃饭，房子塌了一角", {}),
    # a third review: those inside and fine, those below waiting, a corrected figure and one that stands, a visit
    ("网吧天花板塌了一块，我们五个都在里面，没人受伤", {"injured": 0}),
    ("前面山体塌方封路了，还有3个在下面😂 等交警放行", {}),
    ("隧道塌方，5个人被困，救出来2个，都没事，另外3个还在里面，救援队正在挖", {"trapped": 3}),
    ("更正说明：《关于G210线交通事故的情况通报》中“2人死亡”有误，应为“3人死亡”。特此更正。", {"deaths": 3}),
    ("更正：原通报中事故地点“G210线K15处”有误，现更正为“G210线K51处”，“事故共造成3人死亡、5人受伤”的表述不变。",
     {"deaths": 3, "injured": 5}),
    ("此前通报“失联5人”中的2人已取得联系，平安无事。据此更正：全县因灾死亡6人、失联2人。", {"deaths": 6, "missing": 2}),
    ("吃了年夜饭，我们一家5个人去了县医院，看望住院的爷爷，他前几天有点发烧", {}),
    ("昨晚看《急诊科医生》，那集车祸被撞的女孩，人没救过来，哭死我了😭", {}),
]


@pytest.mark.parametrize(("text", "expected"), _TWENTY_FIFTH_SESSION_FIGURES)
def test_figures_of_the_twenty_fifth_session(text: str, expected: dict[str, int]) -> None:
    """Outside rounds 32a-33b (MODEL_CARD, twenty-fifth session)."""
    assert stated(extract_figures(text)) == expected


def test_round_31b_a_van_off_the_road_is_an_accident_for_a_spoken_toll() -> None:
    text = "S309十八弯那里一辆面包车冲出护栏翻到坡下去了 交警说车上8个人，当场没了3个，另外5个拉去县医院了。"
    assert stated(extract_figures(text)).get("deaths") == 3


_TWENTY_SIXTH_SESSION_FIGURES = [
    # rounds 40a-43b: the trapped all brought ashore; the last one freed (a 。 ends the sentence before the toll)
    ("车上17个人都被困在里面，消防划着皮艇一个一个把我们接出去，全部安全上岸", {"trapped": 0}),
    ("记者从指挥部获悉，最后一名被困人员于今日凌晨被救出，生命体征平稳。此次事故共造成9人死亡、14人受伤。",
     {"trapped": 0, "deaths": 9, "injured": 14}),
    # the rest of the trapped counted dead: none left trapped
    ("被困的12名矿工中，4人于6日凌晨在一处高位巷道被发现并成功升井；其余8人经确认已遇难。", {"trapped": 0, "deaths": 8}),
    ("被困12人，其余5人仍被困", {"trapped": 5}),
    # still sought after a count of people
    ("失踪的7个人里已经打捞上来6具遗体，还有1个人在找……", {"deaths": 6, "missing": 1}),
    ("8人遇难，还有2人在搜寻", {"deaths": 8, "missing": 2}),
    ("我们3个人在找工作", {}),
    # 仨 with a person word, not back yet beside a mine
    ("青岗矿下头冒水了 俺们村仨后生到这会儿还没上来 #青岗煤矿", {"missing": 3}),
    ("俩孩子到现在还没回来，饭都凉了", {}),
    # brought out dead
    ("经消防救援人员破拆，车内3名乘员被救出时已无生命体征。", {"deaths": 3}),
    ("3人被救出，送医治疗", {"rescued": 3}),
    # dead after care, said the spoken way
    ("送到市里确诊创伤弧菌感染，截肢都没保住，人还是没了。", {"deaths": 1}),
    ("钱包丢了，找了一晚上，人还是没了影", {}),
    ("夜里起床上厕所摔倒，早上护工才发现，送到医院说是颅内出血，昨晚人走了。", {"deaths": 1}),
    ("去他那儿输液，挂到一半就喘不上气，送到镇卫生院人已经走了。", {"deaths": 1}),
    ("等我赶到的时候人已经走了，说是回老家了", {}),
    # an estimate of a loss
    ("刚看镇里的人说直接损失初步估了1200万左右。", {"economic_loss": 12_000_000}),
    # the sick counted as a bulletin counts them, or as they went for care one after another
    ("食用后出现腹痛、腹泻。截至13日18时，全市各医院累计接诊相关患者126人，均无生命危险。", {"sickened": 126}),
    ("食用后出现呕吐，共有46人先后到乡卫生院和县人民医院就诊", {"sickened": 46}),
    ("县医院去年共收治患者3.2万人次，疾病谱以呼吸道疾病为主", {}),
    # heatstroke is a harm; a week's tally of it is the season's
    ("全程共有23名跑者因中暑、严重抽筋被送往医院", {"sickened": 23}),
    ("听医生说今天已经处理了14个中暑晕倒的", {"sickened": 14}),
    ("三名环卫工人高温天连续作业后中暑死亡", {"deaths": 3}),
    ("市第一人民医院急诊科介绍，本周共收治中暑患者61例，其中热射病5例。", {}),
    # a person still not found while searchers look: one missing, at least
    ("孩子跑开几步就掉进了一个没盖盖子的雨水井里😭 水流特别急，消防找了一晚上，孩子到现在还没找到……", {"missing": 1}),
    ("孩子的作业本到现在还没找到，消防演练的时候弄丢的", {}),
    ("我儿子到现在还没找到工作，消防队招人吗", {}),
    # all got out, some of them died after; lives cried over; 没了 with a person word
    ("经全力搜救，被困的11人全部救出，其中5人经抢救无效死亡，6人受伤住院治疗。", {"trapped": 0, "deaths": 5, "injured": 6}),
    ("#临渊自建房坍塌# 楼上还住着十几个租客。5条命啊！", {"deaths": 5}),
    ("猫有九条命啊，摔下来一点事没有", {}),
    ("#鹤溪山洪 我们村没了两个老人，还有一个到现在都没找到", {"deaths": 2, "missing": 1}),
    ("店里没了两个老人常客，生意淡了", {}),
    # the first review of the session: look-alikes the new forms must leave alone, and one they had broken
    ("矿上冒顶，被困了3个人。今天下午人都抬出来了。遗体已经拉到县殡仪馆，家属哭成一片。", {"trapped": 3}),
    ("吃饭的地儿还没定，我们4个人在找，你们先去逛", {}),
    ("八旬老人上山采药一夜未归，村里来了二十多个人在找", {}),
    ("矿井里今天加班，仨兄弟到这会儿还没上来，媳妇让我给留饭", {}),
    ("水库边游泳的仨娃到现在还没上来，大人们都下水去捞了", {"missing": 3}),
    ("我爸摔骨折做了手术，护工今早人就走了，说老家有事，只能我请假陪床", {}),
    ("我妈输液时突然摔倒，送到医院做了CT，医生说没事，昨晚人走了，自己坐车回的家", {}),
    ("这波行情我损失预估有50万，割肉离场", {}),
    ("这几天市一院急诊收治中暑患者61例，医生提醒市民做好防暑", {}),
    ("去年夏天我们厂有5个工人中暑，今年老板总算装了空调", {}),
    ("玩赛车游戏连着翻车，一局5条命啊！手残实锤", {}),
    ("台风来之前，旅游团走了三个人，提前改签回去了", {}),
    ("台风天，棋牌室里就没了两个老人，凑不齐一桌麻将", {}),
    ("孩子的玩具掉河里了，消防员帮着打捞，孩子到现在还没找到那只小熊", {}),
    ("塌方被困的4名工人，最后一人于今晨6时被成功救出，4人均无生命危险", {"trapped": 0, "rescued": 1}),
    # 走了 with a count, beside a poisoning
    ("甲醇中毒，已经走了两个工人", {"deaths": 2}),
    ("店里吃了饭，走了三个人，剩下的继续喝", {}),
    # the trapped all brought down; firefighters who did not get out; three who began to vomit after a meal
    ("46名游客被困在12个轿厢内。消防救援大队采用缓降方式逐厢施救，至18时10分，被困游客全部安全落地，无人受伤。",
     {"trapped": 0, "injured": 0}),
    ("林区的山火突然风向逆转，县森林消防大队3名队员没能撤出来，确认牺牲。", {"missing": 3}),
    ("农家乐吃了一锅杂菌火锅，半夜我们三个都开始吐……现在在县医院挂水 #野生菌中毒", {"sickened": 3}),
    ("坐船坐了两个小时，我们三个都开始吐了，晕船太难受", {}),
    # a 寻人 appeal that ends 或直接回帖 (直接回帖 is no child brought home: 接回)
    ("【求扩散！寻人】在鹿鸣湖东岸观景台附近走失一名6岁男孩，家里已报警，到现在快一天了还没找到。有任何线索请联系湖滨派出所，"
     "或直接回帖！", {"missing": 1}),
]


@pytest.mark.parametrize(("text", "expected"), _TWENTY_SIXTH_SESSION_FIGURES)
def test_figures_of_the_twenty_sixth_session(text: str, expected: dict[str, int]) -> None:
    """Outside rounds 40a-43b (MODEL_CARD, twenty-sixth session)."""
    assert stated(extract_figures(text)) == expected
