namespace EdgeMeter.Receiver.WebConsole;

/// <summary>Every word the console shows, in English and in Chinese (zh-CN).</summary>
public static class ConsoleText
{
    private static readonly Dictionary<string, (string En, string Zh)> Words = new(StringComparer.Ordinal)
    {
        ["title"] = ("EdgeMeter console", "EdgeMeter 能耗监测控制台"),
        ["signIn"] = ("Sign in", "登录"),
        ["signOut"] = ("Sign out", "退出"),
        ["user"] = ("User", "用户名"),
        ["password"] = ("Password", "密码"),
        ["badLogin"] = ("Wrong user name or password.", "用户名或密码错误。"),
        ["fleet"] = ("Fleet", "网关"),
        ["gateway"] = ("Gateway", "网关"),
        ["state"] = ("State", "状态"),
        ["online"] = ("online", "在线"),
        ["offline"] = ("offline", "离线"),
        ["unknown"] = ("no status", "无状态"),
        ["lastSeen"] = ("Last seen (Beijing)", "最后通信（北京时间）"),
        ["firmware"] = ("Firmware", "固件"),
        ["clock"] = ("Clock", "时钟"),
        ["synced"] = ("synchronized", "已同步"),
        ["unsynced"] = ("NOT synchronized", "未同步"),
        ["queued"] = ("Queued", "待发送"),
        ["dropped"] = ("Dropped", "丢弃"),
        ["reconnects"] = ("Reconnects", "重连次数"),
        ["meters"] = ("Meters answering", "应答表计"),
        ["message"] = ("Platform message", "平台消息"),
        ["attention"] = ("Gateways needing attention are listed first.", "需要关注的网关排在前面。"),
        ["none"] = ("No gateway has sent anything yet.", "尚无网关上报数据。"),
        ["signedInAs"] = ("Signed in as", "当前用户"),
        ["platforms"] = ("Platforms", "上传平台"),
        ["tier"] = ("Platform", "平台"),
        ["gateways"] = ("Gateways", "网关数"),
        ["lag"] = ("Waiting to send", "待上传"),
        ["failing"] = ("Gateways failing", "失败网关"),
        ["lastError"] = ("Last error", "最近错误"),
        ["deadLetters"] = ("Refused by the platform", "被平台拒收"),
        ["reason"] = ("Reason", "原因"),
        ["what"] = ("Record", "记录"),
        ["noDeadLetters"] = ("No record is waiting in dead letters.", "没有被拒收的记录。"),
        ["messages"] = ("Messages", "平台消息"),
        ["received"] = ("Received (Beijing)", "接收时间（北京时间）"),
        ["account"] = ("Account", "账户"),
        ["text"] = ("Message", "内容"),
        ["forwarded"] = ("Forwarded to", "已转发"),
        ["noMessages"] = ("No platform has pushed a message.", "平台尚未推送消息。"),
        ["energy"] = ("Energy", "能耗"),
        ["item"] = ("Data item", "数据项"),
        ["day"] = ("Day", "日期"),
        ["show"] = ("Show", "查看"),
        ["dayCurve"] = ("15-minute values of the day", "当日分时值"),
        ["daily"] = ("Daily values of the month", "当月日值"),
        ["monthly"] = ("Monthly values of the year", "当年月值"),
        ["total"] = ("Total", "合计"),
        ["coal"] = ("Standard coal (× conversion factor)", "折标准煤（× 折标系数）"),
        ["noItems"] = ("No data item is configured (Items[] of the receiver's configuration).", "未配置数据项（接收端配置 Items[]）。"),
        ["exportIndicators"] = ("Export the month's values", "导出当月指标"),
        ["exportReadings"] = ("Export the day's raw readings", "导出当日原始读数"),
        ["quality"] = ("Data quality", "数据质量"),
        ["month"] = ("Month", "月份"),
        ["below"] = ("Items under the target on some day", "存在未达标日期的数据项"),
        ["flags"] = ("Flags raised (15-minute values)", "标记（分时值）"),
        ["completenessHint"] = ("Each cell: the share of a Beijing day's intervals with a trusted value, in %; the platforms expect at least {0} %.", "每格：北京时间当日可信分时值占比（%）；平台要求不低于 {0}%。"),
        ["resend"] = ("Send {0}'s refused records again (after fixing the cause)", "重新上传 {0} 拒收的记录（原因排除后）"),
        ["resent"] = ("{0} records marked to be sent again.", "已标记 {0} 条记录待重新上传。"),
        ["operatorsOnly"] = ("Only an operator may do this.", "仅操作员可执行此操作。"),
        ["readings"] = ("Readings", "原始读数"),
        ["point"] = ("Meter point", "计量点"),
        ["time"] = ("Time (Beijing)", "时间（北京时间）"),
        ["value"] = ("Value", "数值"),
        ["noPoints"] = ("No meter point is read by a data item yet.", "尚无数据项引用的计量点。"),
        ["noReadings"] = ("No reading of this point on this day.", "该计量点当日无读数。"),
        ["badForm"] = ("This form has expired; reload the page and try again.", "表单已失效，请刷新页面后重试。"),
    };

    /// <summary>"zh" or "en": the lang cookie if set, else the browser's first language.</summary>
    public static string LanguageOf(string? cookie, string? acceptLanguage) =>
        cookie is "zh" or "en" ? cookie
            : acceptLanguage is { } accept && accept.TrimStart().StartsWith("zh", StringComparison.OrdinalIgnoreCase) ? "zh" : "en";

    public static string Of(string key, string language) => language == "zh" ? Words[key].Zh : Words[key].En;
}
